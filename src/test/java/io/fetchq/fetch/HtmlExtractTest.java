package io.fetchq.fetch;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class HtmlExtractTest {

    @Test
    void titleIsTheFirstTitleTrimmedAndTextIsTheBodyWithWhitespaceCollapsed() {
        String html = "<html><head><title>  Page 00001 - Words </title><title>second</title></head>"
                + "<body>\n  <h1>Head</h1>\n<ul><li><a href=x>one</a></li>\n<li>two</li></ul>"
                + "<script>var x = 1;</script><style>p{}</style><p>Para\tgraph   text</p>\n</body></html>";

        HtmlExtract.Extracted e = HtmlExtract.extract(html, "http://example.com/");

        assertThat(e.title()).isEqualTo("Page 00001 - Words");
        assertThat(e.text()).as("text content: no space is invented where the markup has none")
                .isEqualTo("Head one twoPara graph text");
    }

    @Test
    void textIsTheTextContentWithNoSpacesInventedBetweenTags() {
        assertThat(HtmlExtract.extract("<body><b>a</b><i>b</i><p>c</p><p>d</p></body>", "http://x/").text())
                .isEqualTo("abcd");
        assertThat(HtmlExtract.extract("<p>no title</p>", "http://x/").title()).isNull();
    }

    @Test
    void everyKindOfWhitespaceCollapsesToOneSpaceAndNothingElseDoes() {
        StringBuilder all = new StringBuilder();
        for (char c = 0; c < 0x3000 + 1; c++) {
            boolean white = Character.isWhitespace(c) || c == '\u00a0';
            if (white) {
                all.append('a').append(c).append(c);
            }
        }
        all.append("a");

        assertThat(HtmlExtract.collapse(all.toString())).matches("a( a)+").doesNotContain("  ");
        assertThat(HtmlExtract.collapse("  x\u0001y\u00e9 \t\n z\u3000\u2028 ")).isEqualTo("x\u0001y\u00e9 z");
        assertThat(HtmlExtract.collapse("")).isEmpty();
    }
}
