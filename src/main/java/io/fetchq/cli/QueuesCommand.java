package io.fetchq.cli;

import com.fasterxml.jackson.databind.JsonNode;
import io.fetchq.config.ByteSizes;
import io.fetchq.config.Durations;
import io.fetchq.config.InvalidSettingsException;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.PrintWriter;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/**
 * {@code fetchq queues ...}: a producer and consumer of the broker's queues over a running server's HTTP API
 * (DESIGN.md §4): create, list, show, delete and purge queues; send, receive, and listen (long-poll forever,
 * print or pipe each message to a command, delete it when that succeeds).
 */
@Command(name = "queues", mixinStandardHelpOptions = true,
        description = "Use fetchq's SQS-like message queues on a running server (--server, default http://127.0.0.1:8080).",
        subcommands = {QueuesCommand.Create.class, QueuesCommand.ListQueues.class, QueuesCommand.Show.class,
                QueuesCommand.Delete.class, QueuesCommand.Purge.class, QueuesCommand.Send.class,
                QueuesCommand.Receive.class, QueuesCommand.Listen.class, QueuesCommand.Dead.class,
                QueuesCommand.Redrive.class})
final class QueuesCommand implements Runnable {
    static final int BATCH = 100;

    @Spec
    CommandSpec spec;

    @Override
    public void run() {
        throw new CommandLine.ParameterException(spec.commandLine(), "say what to do, e.g. 'fetchq queues list'");
    }

    static String path(String name) {
        return "/queues/" + URLEncoder.encode(name, StandardCharsets.UTF_8);
    }

    @Command(name = "create", mixinStandardHelpOptions = true,
            description = "Create a queue, or change the settings given of an existing one.")
    static final class Create extends ClientCommand implements Callable<Integer> {
        @Parameters(paramLabel = "NAME", description = "1-80 letters, digits, - or _.")
        String name;
        @Option(names = "--visibility-timeout", paramLabel = "DURATION",
                description = "How long a received message stays hidden (default 30s, at most 12h).")
        String visibility;
        @Option(names = "--max-receive-count", paramLabel = "N",
                description = "Receives before a message goes to the dead letters; 0 = never (default 5).")
        Integer maxReceives;
        @Option(names = "--retention", paramLabel = "DURATION", description = "How long messages are kept (default 4d, 1m-14d).")
        String retention;
        @Option(names = "--max-message-size", paramLabel = "SIZE", description = "Largest body (default 256KiB, at most 1MiB).")
        String maxSize;
        @Option(names = "--delay", paramLabel = "DURATION", description = "Default delay of a sent message (default 0s, at most 15m).")
        String delay;

        @Override
        public Integer call() {
            Map<String, Object> body = new LinkedHashMap<>();
            putSeconds(body, "visibility_timeout", "--visibility-timeout", visibility);
            if (maxReceives != null) {
                body.put("max_receive_count", maxReceives);
            }
            putSeconds(body, "retention_seconds", "--retention", retention);
            if (maxSize != null) {
                body.put("max_message_bytes", parseSize(maxSize));
            }
            putSeconds(body, "delay_seconds", "--delay", delay);
            JsonNode q = server.client().call("PUT", path(name), body);
            PrintWriter out = spec.commandLine().getOut();
            out.println("queue " + name + " is ready");
            Show.print(out, q);
            return 0;
        }

        private static void putSeconds(Map<String, Object> body, String field, String option, String value) {
            if (value != null) {
                body.put(field, duration(option, value).toSeconds());
            }
        }

        private static long parseSize(String value) {
            try {
                return ByteSizes.parse(value);
            } catch (IllegalArgumentException e) {
                throw new InvalidSettingsException("--max-message-size: " + e.getMessage());
            }
        }
    }

    @Command(name = "list", mixinStandardHelpOptions = true, description = "List the queues with their message counts.")
    static final class ListQueues extends ClientCommand implements Callable<Integer> {
        @Option(names = "--json", description = "Print the server's JSON.")
        boolean json;

        @Override
        public Integer call() {
            JsonNode queues = server.client().call("GET", "/queues", null).get("queues");
            PrintWriter out = spec.commandLine().getOut();
            if (json) {
                out.println(queues);
                return 0;
            }
            String format = "%-30s %9s %9s %9s %9s %11s %8s%n";
            out.printf(format, "NAME", "VISIBLE", "IN_FLIGHT", "DELAYED", "DEAD", "VISIBILITY", "RECEIVES");
            for (JsonNode q : queues) {
                JsonNode c = q.get("counts");
                out.printf(format, q.get("name").asText(), c.get("visible").asLong(), c.get("in_flight").asLong(),
                        c.get("delayed").asLong(), c.get("dead").asLong(), q.get("visibility_timeout").asLong() + "s",
                        q.get("max_receive_count").asInt() == 0 ? "never" : q.get("max_receive_count").asText());
            }
            if (queues.isEmpty()) {
                out.println("(no queues; create one with 'fetchq queues create NAME')");
            }
            return 0;
        }
    }

    @Command(name = "show", mixinStandardHelpOptions = true, description = "Show a queue's settings and message counts.")
    static final class Show extends ClientCommand implements Callable<Integer> {
        @Parameters(paramLabel = "NAME")
        String name;
        @Option(names = "--json", description = "Print the server's JSON.")
        boolean json;

        @Override
        public Integer call() {
            JsonNode q = server.client().call("GET", path(name), null);
            if (json) {
                spec.commandLine().getOut().println(q);
            } else {
                print(spec.commandLine().getOut(), q);
            }
            return 0;
        }

        static void print(PrintWriter out, JsonNode q) {
            JsonNode c = q.get("counts");
            out.printf("name:               %s%n", q.get("name").asText());
            out.printf("messages:           %d visible, %d in flight, %d delayed, %d dead%n", c.get("visible").asLong(),
                    c.get("in_flight").asLong(), c.get("delayed").asLong(), c.get("dead").asLong());
            out.printf("visibility timeout: %s%n", Durations.format(Duration.ofSeconds(q.get("visibility_timeout").asLong())));
            out.printf("max receive count:  %s%n", q.get("max_receive_count").asInt() == 0 ? "never dead-letter"
                    : q.get("max_receive_count").asText());
            out.printf("retention:          %s%n", Durations.format(Duration.ofSeconds(q.get("retention_seconds").asLong())));
            out.printf("max message size:   %s%n", ByteSizes.format(q.get("max_message_bytes").asLong()));
            out.printf("default delay:      %s%n", Durations.format(Duration.ofSeconds(q.get("delay_seconds").asLong())));
            out.printf("created:            %s%n", q.get("created_at").asText());
        }
    }

    @Command(name = "delete", mixinStandardHelpOptions = true, description = "Delete a queue with all its messages and dead letters.")
    static final class Delete extends ClientCommand implements Callable<Integer> {
        @Parameters(paramLabel = "NAME")
        String name;

        @Override
        public Integer call() {
            server.client().call("DELETE", path(name), null);
            spec.commandLine().getOut().println("deleted queue " + name);
            return 0;
        }
    }

    @Command(name = "purge", mixinStandardHelpOptions = true, description = "Delete a queue's messages (not its dead letters unless --dead).")
    static final class Purge extends ClientCommand implements Callable<Integer> {
        @Parameters(paramLabel = "NAME")
        String name;
        @Option(names = "--dead", description = "Delete the dead letters too.")
        boolean dead;

        @Override
        public Integer call() {
            JsonNode r = server.client().call("POST", path(name) + "/purge" + (dead ? "?dead=true" : ""), null);
            spec.commandLine().getOut().println("purged " + r.get("purged").asLong() + " message(s) from " + name);
            return 0;
        }
    }

    @Command(name = "send", mixinStandardHelpOptions = true,
            description = "Send messages: each BODY argument is one, or one per line of a file (-f, '-' for stdin), "
                    + "or N generated test messages (--stub N).")
    static final class Send extends ClientCommand implements Callable<Integer> {
        @Parameters(index = "0", paramLabel = "NAME")
        String name;
        @Parameters(index = "1..*", paramLabel = "BODY", arity = "0..*")
        List<String> bodies = new ArrayList<>();
        @Option(names = {"-f", "--file"}, paramLabel = "FILE", description = "One message per line ('-' reads stdin); blank lines are skipped.")
        String file;
        @Option(names = "--stub", paramLabel = "N", description = "Send N generated test messages (JSON with a sequence number).")
        Integer stub;
        @Option(names = "--delay", paramLabel = "DURATION", description = "Not receivable before this (at most 15m).")
        String delay;
        @Option(names = "--dedupe-id", paramLabel = "ID", description = "With one BODY: a repeat within 5 minutes is not sent again.")
        String dedupeId;

        @Override
        public Integer call() throws IOException {
            List<String> messages = new ArrayList<>(bodies);
            if (file != null) {
                List<String> lines = file.equals("-")
                        ? new String(System.in.readAllBytes(), StandardCharsets.UTF_8).lines().toList()
                        : Files.readAllLines(Path.of(file), StandardCharsets.UTF_8);
                lines.stream().filter(l -> !l.isBlank()).forEach(messages::add);
            }
            if (stub != null) {
                if (stub < 1) {
                    throw new InvalidSettingsException("--stub: give a number of messages (1 or more), got " + stub);
                }
                String at = Instant.now().toString();
                for (int i = 1; i <= stub; i++) {
                    messages.add("{\"stub\":" + i + ",\"of\":" + stub + ",\"sent_at\":\"" + at + "\"}");
                }
            }
            if (messages.isEmpty()) {
                throw new InvalidSettingsException("nothing to send: give BODY arguments, -f FILE or --stub N");
            }
            if (dedupeId != null && messages.size() != 1) {
                throw new InvalidSettingsException("--dedupe-id goes with exactly one message, got " + messages.size());
            }
            Long delaySeconds = delay == null ? null : duration("--delay", delay).toSeconds();
            ServerClient client = server.client();
            int sent = 0;
            int duplicates = 0;
            String firstId = null;
            for (int from = 0; from < messages.size(); from += BATCH) {
                List<Map<String, Object>> batch = new ArrayList<>();
                for (String body : messages.subList(from, Math.min(messages.size(), from + BATCH))) {
                    Map<String, Object> m = new LinkedHashMap<>();
                    m.put("body", body);
                    if (delaySeconds != null) {
                        m.put("delay_seconds", delaySeconds);
                    }
                    if (dedupeId != null) {
                        m.put("dedupe_id", dedupeId);
                    }
                    batch.add(m);
                }
                JsonNode r = client.call("POST", path(name) + "/messages", Map.of("messages", batch));
                for (JsonNode m : r.get("messages")) {
                    firstId = firstId == null ? m.get("id").asText() : firstId;
                    if (m.get("duplicate").asBoolean()) {
                        duplicates++;
                    } else {
                        sent++;
                    }
                }
            }
            PrintWriter out = spec.commandLine().getOut();
            out.println("sent " + sent + " message(s) to " + name + (duplicates > 0 ? " (" + duplicates
                    + " repeat(s) of messages sent before, not sent again)" : "")
                    + (messages.size() == 1 ? ": " + firstId : ""));
            return 0;
        }
    }

    @Command(name = "receive", mixinStandardHelpOptions = true,
            description = "Receive messages once and print each as a JSON line (with its receipt); they stay in the "
                    + "queue, hidden for the visibility timeout, unless --delete.")
    static final class Receive extends ClientCommand implements Callable<Integer> {
        @Parameters(paramLabel = "NAME")
        String name;
        @Option(names = "--max", defaultValue = "1", description = "At most this many (1-100; default ${DEFAULT-VALUE}).")
        int max;
        @Option(names = "--wait", defaultValue = "0s", paramLabel = "DURATION",
                description = "Wait this long for a message when none is visible (at most 20s; default ${DEFAULT-VALUE}).")
        String wait;
        @Option(names = "--visibility-timeout", paramLabel = "DURATION", description = "Hide them this long (default: the queue's).")
        String visibility;
        @Option(names = "--delete", description = "Delete the messages once printed.")
        boolean delete;

        @Override
        public Integer call() {
            ServerClient client = server.client();
            Duration w = duration("--wait", wait);
            JsonNode got = client.get(receivePath(name, max, w, visibility == null ? null : duration("--visibility-timeout",
                    visibility)), w.plusSeconds(30));
            PrintWriter out = spec.commandLine().getOut();
            List<String> receipts = new ArrayList<>();
            for (JsonNode m : got) {
                out.println(m);
                receipts.add(m.get("receipt").asText());
            }
            out.flush();
            if (delete && !receipts.isEmpty()) {
                client.call("POST", path(name) + "/messages/delete", Map.of("receipts", receipts));
            }
            return 0;
        }
    }

    @Command(name = "listen", mixinStandardHelpOptions = true,
            description = {"Long-poll a queue until stopped (Ctrl-C): print each message's body (or pipe it to --exec CMD) "
                    + "and delete it; a message whose command fails is left to be delivered again after its visibility timeout.",
                    "The command runs with the body on stdin and FETCHQ_QUEUE, FETCHQ_MESSAGE_ID, FETCHQ_RECEIVE_COUNT set."})
    static final class Listen extends ClientCommand implements Callable<Integer> {
        @Parameters(paramLabel = "NAME")
        String name;
        @Option(names = "--exec", paramLabel = "CMD", description = "Run CMD (through sh -c) for each message; exit 0 deletes it.")
        String exec;
        @Option(names = "--max", defaultValue = "10", description = "Messages per receive (1-100; default ${DEFAULT-VALUE}).")
        int max;
        @Option(names = "--visibility-timeout", paramLabel = "DURATION", description = "Hide received messages this long (default: the queue's).")
        String visibility;
        @Option(names = "--count", paramLabel = "N", description = "Stop after handling N messages (default: never).")
        Long count;

        private volatile boolean stopping;
        private volatile boolean polling;

        @Override
        public Integer call() throws Exception {
            PrintWriter out = spec.commandLine().getOut();
            PrintWriter err = spec.commandLine().getErr();
            ServerClient client = server.client();
            client.call("GET", path(name), null); // the queue exists, the key works
            Duration vis = visibility == null ? null : duration("--visibility-timeout", visibility);
            Thread loop = Thread.currentThread();
            CountDownLatch done = new CountDownLatch(1);
            Thread hook = new Thread(() -> {
                stopping = true;
                if (polling) {
                    loop.interrupt();
                }
                try {
                    done.await(60, TimeUnit.SECONDS); // the message being handled finishes first
                } catch (InterruptedException ignored) {
                    Thread.currentThread().interrupt();
                }
            }, "fetchq-listen-stop");
            Runtime.getRuntime().addShutdownHook(hook);
            err.println("listening on queue " + name + " at " + client.base() + (exec == null ? "" : ", running: " + exec)
                    + " (Ctrl-C stops)");
            err.flush();
            long handled = 0;
            boolean unreachable = false;
            try {
                while (!stopping && (count == null || handled < count)) {
                    JsonNode got;
                    try {
                        polling = true;
                        int want = count == null ? max : (int) Math.min(max, count - handled);
                        got = client.get(receivePath(name, want, Duration.ofSeconds(20), vis), Duration.ofSeconds(50));
                        unreachable = false;
                    } catch (ServerClient.ServerException e) {
                        if (stopping) {
                            break;
                        }
                        if (e.status() != 0 && e.status() < 500) {
                            throw e;
                        }
                        if (!unreachable) {
                            err.println("fetchq: " + e.getMessage() + "; retrying every 2 s");
                            err.flush();
                            unreachable = true;
                        }
                        sleepQuietly(2_000);
                        continue;
                    } finally {
                        polling = false;
                        Thread.interrupted(); // an interrupt meant for the poll is spent
                    }
                    List<String> acked = new ArrayList<>();
                    int i = 0;
                    for (; i < got.size() && !stopping; i++) {
                        JsonNode m = got.get(i);
                        if (handle(m, out, err)) {
                            acked.add(m.get("receipt").asText());
                        }
                        handled++;
                    }
                    if (!acked.isEmpty()) {
                        client.call("POST", path(name) + "/messages/delete", Map.of("receipts", acked));
                    }
                    for (; i < got.size(); i++) { // stopping: the rest go back at once for other consumers
                        client.call("POST", path(name) + "/messages/" + got.get(i).get("receipt").asText() + "/visibility",
                                Map.of("visibility_timeout", 0));
                    }
                }
                err.println("stopped listening on " + name + " after " + handled + " message(s)");
                err.flush();
                return 0;
            } finally {
                done.countDown();
                try {
                    Runtime.getRuntime().removeShutdownHook(hook);
                } catch (IllegalStateException ignored) {
                    // shutting down already: the hook is running
                }
            }
        }

        /** @return true when the message was handled and may be deleted */
        private boolean handle(JsonNode m, PrintWriter out, PrintWriter err) throws IOException, InterruptedException {
            String body = m.get("body").asText();
            if (exec == null) {
                out.println(body);
                out.flush();
                return true;
            }
            boolean windows = System.getProperty("os.name", "").toLowerCase(java.util.Locale.ROOT).startsWith("windows");
            ProcessBuilder pb = windows ? new ProcessBuilder("cmd", "/c", exec) : new ProcessBuilder("sh", "-c", exec);
            pb.environment().put("FETCHQ_QUEUE", name);
            pb.environment().put("FETCHQ_MESSAGE_ID", m.get("id").asText());
            pb.environment().put("FETCHQ_RECEIVE_COUNT", m.get("receive_count").asText());
            pb.redirectError(ProcessBuilder.Redirect.INHERIT);
            Process p = pb.start();
            Thread feeder = Thread.ofVirtual().start(() -> {
                try (OutputStream in = p.getOutputStream()) {
                    in.write(body.getBytes(StandardCharsets.UTF_8));
                } catch (IOException ignored) {
                    // the command did not read its input: its exit code decides
                }
            });
            String output;
            try (InputStream stdout = p.getInputStream()) {
                output = new String(stdout.readAllBytes(), StandardCharsets.UTF_8);
            }
            int code = p.waitFor();
            feeder.join();
            out.print(output);
            out.flush();
            if (code != 0) {
                err.println("fetchq: message " + m.get("id").asText() + " failed (exit " + code
                        + "); it will be delivered again after its visibility timeout");
                err.flush();
            }
            return code == 0;
        }

        private static void sleepQuietly(long ms) {
            try {
                Thread.sleep(ms);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
    }

    @Command(name = "dead", mixinStandardHelpOptions = true,
            description = "List a queue's dead letters (messages received too often without a delete), newest first.")
    static final class Dead extends ClientCommand implements Callable<Integer> {
        @Parameters(paramLabel = "NAME")
        String name;
        @Option(names = "--limit", defaultValue = "50", description = "At most this many (1-1000; default ${DEFAULT-VALUE}).")
        int limit;
        @Option(names = "--json", description = "Print each as the server's JSON, one per line.")
        boolean json;

        @Override
        public Integer call() {
            JsonNode dead = server.client().call("GET", path(name) + "/dead?limit=" + limit, null).get("messages");
            PrintWriter out = out();
            for (JsonNode m : dead) {
                if (json) {
                    out.println(m);
                } else {
                    out.printf("%s  received %d time(s)  dead since %s  %s%n", m.get("id").asText(),
                            m.get("receive_count").asInt(), m.get("dead_at").asText(), clip(m.get("body").asText()));
                }
            }
            if (dead.isEmpty() && !json) {
                out.println("(no dead letters in " + name + ")");
            }
            return 0;
        }

        private static String clip(String body) {
            String line = body.replaceAll("\\s+", " ");
            return line.length() <= 60 ? line : line.substring(0, 57) + "...";
        }
    }

    @Command(name = "redrive", mixinStandardHelpOptions = true,
            description = "Return dead letters to their queue (receive count reset): the IDs given, or --all.")
    static final class Redrive extends ClientCommand implements Callable<Integer> {
        @Parameters(index = "0", paramLabel = "NAME")
        String name;
        @Parameters(index = "1..*", arity = "0..*", paramLabel = "ID")
        List<String> ids = new ArrayList<>();
        @Option(names = "--all", description = "Every dead letter of the queue.")
        boolean all;

        @Override
        public Integer call() {
            if (all == !ids.isEmpty()) {
                throw new InvalidSettingsException("give dead letter IDs or --all, not both or neither");
            }
            JsonNode r = server.client().call("POST", path(name) + "/redrive",
                    all ? Map.of("all", true) : Map.of("ids", ids));
            out().println("redrove " + r.get("redriven").asInt() + " message(s) to " + name);
            return 0;
        }
    }

    static String receivePath(String name, int max, Duration wait, Duration visibility) {
        return path(name) + "/messages?max=" + max + "&wait=" + wait.toSeconds()
                + (visibility == null ? "" : "&visibility_timeout=" + visibility.toSeconds());
    }
}
