package io.fetchq.scrape;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.zip.GZIPOutputStream;
import org.junit.jupiter.api.Test;

class PageBuilderTest {
    private static final byte[] HTML = ("<html><head><title>T</title></head><body>"
            + "<p>some words that repeat, some words that repeat</p>".repeat(200) + "</body></html>")
            .getBytes(StandardCharsets.UTF_8);

    @Test
    void bodiesAreStoredCompressedAndComeBackWhole() {
        byte[] stored = PageBuilder.compress(HTML);

        assertThat(stored.length).isLessThan(HTML.length / 10);
        assertThat(PageBuilder.decompress(stored)).isEqualTo(HTML);
        assertThat(PageBuilder.decompress(PageBuilder.compress(new byte[0]))).isEmpty();
    }

    @Test
    void pagesStoredGzippedBeforeStillRead() throws Exception {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        try (GZIPOutputStream gz = new GZIPOutputStream(out)) {
            gz.write(HTML);
        }

        assertThat(PageBuilder.decompress(out.toByteArray())).isEqualTo(HTML);
        assertThat(PageBuilder.decompress(null)).isEmpty();
    }

    @Test
    void aBodyThatIsNeitherIsRefusedRatherThanReturnedAsGarbage() {
        assertThatThrownBy(() -> PageBuilder.decompress("plain text".getBytes(StandardCharsets.US_ASCII)))
                .isInstanceOf(IllegalStateException.class);
    }
}
