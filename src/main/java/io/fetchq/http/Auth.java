package io.fetchq.http;

import io.fetchq.http.ApiKeys.Principal;
import io.fetchq.http.ApiKeys.Scope;
import io.javalin.http.Context;
import java.util.Optional;

/**
 * Authenticates every request before its handler when keys are configured: {@code Authorization: Bearer
 * <key>} is required everywhere except {@code /health} and the API's own documentation ({@code /docs},
 * {@code /openapi.json}, which hold no data). Handlers then ask for the scope they need.
 */
final class Auth {
    private static final String ATTRIBUTE = "fetchq.principal";
    private final ApiKeys keys;

    Auth(ApiKeys keys) {
        this.keys = keys;
    }

    void authenticate(Context ctx) {
        if (!keys.enabled()) {
            ctx.attribute(ATTRIBUTE, Principal.ANONYMOUS);
            return;
        }
        String path = ctx.path();
        if (path.equals("/health") || path.equals("/openapi.json") || path.equals("/docs") || path.startsWith("/docs/")) {
            return;
        }
        String header = ctx.header("Authorization");
        String token = ctx.queryParam("access_token");
        if ((header == null || header.isBlank()) && token != null && isLive(path)) {
            ctx.attribute(ATTRIBUTE, principalFor(null, token));
            return;
        }
        if (header == null || header.isBlank()) {
            ctx.header("WWW-Authenticate", "Bearer realm=\"fetchq\"");
            throw new ApiProblem(401, "this server needs an API key: send Authorization: Bearer <key>");
        }
        if (!header.regionMatches(true, 0, "Bearer ", 0, 7)) {
            ctx.header("WWW-Authenticate", "Bearer realm=\"fetchq\"");
            throw new ApiProblem(401, "the Authorization header must be Bearer <key>");
        }
        Optional<Principal> principal = keys.authenticate(header.substring(7).strip());
        if (principal.isEmpty()) {
            ctx.header("WWW-Authenticate", "Bearer realm=\"fetchq\", error=\"invalid_token\"");
            throw new ApiProblem(401, "the API key is not valid");
        }
        ctx.attribute(ATTRIBUTE, principal.get());
    }

    /** Live update routes, which browsers open without headers (EventSource, WebSocket). */
    private static boolean isLive(String path) {
        return path.equals("/ws") || path.startsWith("/ws/") || (path.startsWith("/jobs/") && path.endsWith("/events"));
    }

    /**
     * The principal of a WebSocket or SSE client, from its Authorization header or access_token.
     *
     * @throws ApiProblem 401 when keys are configured and neither holds a valid one
     */
    Principal principalFor(String authorization, String accessToken) {
        if (!keys.enabled()) {
            return Principal.ANONYMOUS;
        }
        String key = null;
        if (authorization != null && authorization.regionMatches(true, 0, "Bearer ", 0, 7)) {
            key = authorization.substring(7).strip();
        } else if (accessToken != null) {
            key = accessToken;
        }
        return keys.authenticate(key).orElseThrow(() -> new ApiProblem(401, "the API key is missing or not valid"));
    }

    /** The request's principal, which must have {@code needed}. */
    static Principal require(Context ctx, Scope needed) {
        Principal p = ctx.attribute(ATTRIBUTE);
        if (p == null) {
            throw new ApiProblem(401, "this server needs an API key: send Authorization: Bearer <key>");
        }
        if (!p.scope().allows(needed)) {
            throw new ApiProblem(403, "this key's scope is " + p.scope().name().toLowerCase(java.util.Locale.ROOT)
                    + "; this needs " + needed.name().toLowerCase(java.util.Locale.ROOT));
        }
        return p;
    }
}
