package io.fetchq.http;

import io.javalin.http.Context;

/** Query parameters read with errors that name them. */
final class Params {
    private Params() {
    }

    static int intParam(Context ctx, String name, int fallback, int min, int max) {
        String v = ctx.queryParam(name);
        if (v == null) {
            return fallback;
        }
        try {
            int n = Integer.parseInt(v.strip());
            if (n >= min && n <= max) {
                return n;
            }
        } catch (NumberFormatException ignored) {
            // reported below
        }
        throw ApiProblem.badField(name, "must be an integer between " + min + " and " + max + ", got '" + clip(v) + "'");
    }

    static boolean boolParam(Context ctx, String name, boolean fallback) {
        String v = ctx.queryParam(name);
        if (v == null) {
            return fallback;
        }
        return switch (v.strip()) {
            case "true", "1" -> true;
            case "false", "0" -> false;
            default -> throw ApiProblem.badField(name, "must be true or false, got '" + clip(v) + "'");
        };
    }

    /** Echoes user input in a message without letting it run on. */
    static String clip(String s) {
        String oneLine = s.replaceAll("\\p{Cntrl}", "?");
        return oneLine.length() > 80 ? oneLine.substring(0, 80) + "…" : oneLine;
    }
}
