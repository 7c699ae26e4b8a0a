package io.fetchq.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code fetchq serve} as a real process: it starts on a fresh SQLite file, answers HTTP, and stops cleanly on SIGTERM. */
class ServeProcessTest {

    @Test
    void serveStartsOnAFreshSqliteFileAndStopsCleanlyOnSigterm(@TempDir Path dir) throws Exception {
        Path db = dir.resolve("nested/fetchq.db");
        Path log = dir.resolve("serve.log");
        String java = ProcessHandle.current().info().command().orElse("java");
        Process serve = new ProcessBuilder(java, "--enable-native-access=ALL-UNNAMED", "-cp",
                System.getProperty("java.class.path"), Main.class.getName(), "serve", "--db", db.toString(), "--port", "0")
                .redirectErrorStream(true).redirectOutput(log.toFile()).start();
        try {
            await().atMost(Duration.ofSeconds(60)).until(() -> Files.readString(log).contains("Ctrl-C stops it"));
            assertThat(db).exists();
            Matcher port = Pattern.compile("API on port (\\d+)").matcher(Files.readString(log));
            assertThat(port.find()).as("the log names the API's port").isTrue();
            HttpResponse<String> health = HttpClient.newHttpClient().send(
                    HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port.group(1) + "/health")).build(),
                    HttpResponse.BodyHandlers.ofString());
            assertThat(health.statusCode()).isEqualTo(200);
            assertThat(health.body()).contains("\"status\":\"ok\"");

            serve.destroy(); // SIGTERM

            assertThat(serve.waitFor(30, TimeUnit.SECONDS)).as("stopped within 30 s").isTrue();
            assertThat(serve.exitValue()).as("exit code after SIGTERM; log:%n%s", Files.readString(log)).isIn(0, 143);
            assertThat(Files.readString(log)).contains("stopping").contains("stopped");
        } finally {
            serve.destroyForcibly();
        }
    }
}
