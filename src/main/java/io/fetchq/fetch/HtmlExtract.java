package io.fetchq.fetch;

import org.jsoup.Jsoup;
import org.jsoup.nodes.Document;
import org.jsoup.nodes.Element;

/**
 * The title and the text of an HTML page: the first {@code <title>}, trimmed; and the text content of
 * {@code <body>} without scripts, styles and templates, with runs of whitespace collapsed to one space.
 */
public final class HtmlExtract {
    public record Extracted(String title, String text) {
    }

    private HtmlExtract() {
    }

    public static Extracted extract(String html, String baseUrl) {
        Document doc = Jsoup.parse(html, baseUrl);
        Element titleEl = doc.selectFirst("title");
        String title = titleEl == null ? null : collapse(titleEl.text());
        Element body = doc.body();
        body.select("script, style, noscript, template").remove();
        return new Extracted(title, collapse(body.wholeText()));
    }

    /** Collapses runs of whitespace to one space and trims, as the benchmark's {@code \s+} does. */
    static String collapse(String s) {
        int n = s.length();
        char[] out = new char[n];
        int len = 0;
        boolean space = false;
        for (int i = 0; i < n; i++) {
            char c = s.charAt(i);
            if (c <= ' ' ? c == ' ' || (c >= '\t' && c <= '\r') || c >= 0x1c : c >= 0x80 && isWideSpace(c)) {
                space = len > 0;
            } else {
                if (space) {
                    out[len++] = ' ';
                    space = false;
                }
                out[len++] = c;
            }
        }
        return new String(out, 0, len);
    }

    /** Whitespace beyond ASCII: what {@link Character#isWhitespace} says, and the no-break space. */
    private static boolean isWideSpace(char c) {
        return c == '\u00a0' || Character.isWhitespace(c);
    }
}
