package io.fetchq.http;

import static io.javalin.apibuilder.ApiBuilder.delete;
import static io.javalin.apibuilder.ApiBuilder.get;
import static io.javalin.apibuilder.ApiBuilder.path;
import static io.javalin.apibuilder.ApiBuilder.post;
import static io.javalin.apibuilder.ApiBuilder.put;
import static io.javalin.apibuilder.ApiBuilder.ws;

import io.fetchq.broker.Broker;
import io.fetchq.events.EventBus;
import io.fetchq.queue.BackgroundService;
import io.fetchq.queue.QueueEngine;
import io.fetchq.scrape.ScrapeService;
import io.fetchq.worker.WorkerPool;
import io.javalin.Javalin;
import io.javalin.config.JavalinConfig;
import io.javalin.http.Context;
import io.javalin.json.JavalinJackson;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.net.InetAddress;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The HTTP API of DESIGN.md §5 on Javalin: every route is declared in {@link #routes}, handled by instance
 * controllers that get their services here. Requests run on virtual threads; every response carries an
 * {@code X-Request-Id}, every failure is problem+json ({@link Problems}), and one access log line is
 * written per request (logger {@code fetchq.access}).
 */
public final class ApiServer implements BackgroundService {
    private static final Logger log = LoggerFactory.getLogger(ApiServer.class);
    private static final Logger access = LoggerFactory.getLogger("fetchq.access");

    private final HttpSettings settings;
    private final Auth auth;
    private final ApiMetrics metrics;
    private final Throughput throughput;
    private final LiveUpdates live;
    private final JobsController jobs;
    private final PagesController pages;
    private final AdminController admin;
    private final OpsController ops;
    private final LiveController liveRoutes;
    private final QueuesController queues;
    private Javalin app;

    /**
     * @param workers this node's worker pool, or null for an API-only node
     */
    public ApiServer(HttpSettings settings, QueueEngine engine, ScrapeService scrape, Broker broker, WorkerPool workers,
                     EventBus events, PrometheusMeterRegistry registry) {
        this.settings = settings;
        this.auth = new Auth(settings.keys());
        this.metrics = new ApiMetrics(registry, engine);
        this.metrics.listen(events);
        this.throughput = new Throughput(events);
        this.live = new LiveUpdates(events, scrape);
        this.jobs = new JobsController(scrape, settings.maxBodyBytes(), metrics);
        this.pages = new PagesController(scrape);
        this.admin = new AdminController(engine, workers, throughput, settings.maxBodyBytes());
        this.ops = new OpsController(engine.store(), workers, metrics);
        this.liveRoutes = new LiveController(live, jobs, auth);
        this.queues = new QueuesController(broker, settings.maxBodyBytes());
    }

    /** Every route of the API, in one place. */
    private void routes() {
        get("/health", ops::health);
        get("/metrics", ops::metrics);
        get("/openapi.json", ops::openApi);
        get("/docs", ops::docs);
        get("/docs/{file}", ops::docsAsset);
        get("/stats", admin::stats);
        path("/jobs", () -> {
            get(jobs::list);
            post(jobs::submit);
            path("{id}", () -> {
                get(jobs::get);
                delete(jobs::cancel);
                get("results", jobs::results);
                post("retry", jobs::retry);
                get("events", liveRoutes::sse);
            });
        });
        path("/pages/{id}", () -> {
            get(pages::get);
            get("content", pages::content);
        });
        path("/dead-letter", () -> {
            get(admin::deadLetters);
            post("requeue", admin::requeue);
        });
        path("/queues", () -> {
            get(queues::list);
            path("{name}", () -> {
                put(queues::put);
                get(queues::get);
                delete(queues::delete);
                post("purge", queues::purge);
                path("messages", () -> {
                    post(queues::send);
                    get(queues::receive);
                    post("delete", queues::deleteBatch);
                    delete("{receipt}", queues::deleteOne);
                    post("{receipt}/visibility", queues::visibility);
                });
                get("dead", queues::dead);
                post("redrive", queues::redrive);
            });
        });
        ws("/ws", ws -> liveRoutes.socket(ws, false));
        ws("/ws/jobs/{id}", ws -> liveRoutes.socket(ws, true));
    }

    private void configure(JavalinConfig config) {
        config.startup.showJavalinBanner = false;
        config.concurrency.useVirtualThreads = true;
        config.http.maxRequestSize = settings.maxBodyBytes();
        config.http.prefer405over404 = true;
        config.http.generateEtags = false;
        // JSON answers are small; compressing them cost more CPU than it saved on loopback and LANs
        config.http.compressionStrategy = io.javalin.compression.CompressionStrategy.NONE;
        config.router.ignoreTrailingSlashes = true;
        config.jetty.host = settings.bind();
        config.jetty.port = settings.port();
        config.jsonMapper(new JavalinJackson(JsonBody.JSON, true));
        config.jetty.modifyServer(server -> server.setErrorHandler(new JettyProblems()));
        config.jetty.modifyServletContextHandler(context -> context.setErrorHandler(new JettyProblems()));
        config.routes.before(ctx -> {
            RequestIds.assign(ctx);
            ctx.attribute("fetchq.started", System.nanoTime());
            auth.authenticate(ctx);
        });
        config.routes.wsBeforeUpgrade(ctx -> {
            RequestIds.assign(ctx);
            auth.authenticate(ctx);
        });
        config.requestLogger.http(this::logRequest);
        Problems.register(config);
        config.routes.apiBuilder(this::routes);
    }

    private void logRequest(Context ctx, Float ms) {
        String route = ctx.endpoints().lastHttpEndpoint() == null ? "unmatched" : ctx.endpoints().lastHttpEndpoint().path;
        int status = ctx.statusCode();
        metrics.request(ctx.method().name(), route, status, (long) (ms * 1_000_000));
        if (access.isInfoEnabled()) {
            access.info("{} {} {} {} {}ms req={}", ctx.ip(), ctx.method().name(), ctx.path(), status,
                    Math.round(ms * 10) / 10.0, RequestIds.of(ctx));
        }
    }

    @Override
    public String name() {
        return "http";
    }

    @Override
    public synchronized void start() {
        if (app != null) {
            return;
        }
        app = Javalin.create(this::configure).start();
        if (!settings.keys().enabled() && !isLoopback(settings.bind())) {
            log.warn("!!! the API listens on {} WITHOUT API KEYS: anyone who can reach this port can submit and read jobs. "
                    + "Set FETCHQ_API_KEYS or --api-keys-file, or bind 127.0.0.1 !!!", settings.bind());
        }
        log.info("HTTP API on http://{}:{} (docs at /docs){}", settings.bind(), port(),
                settings.keys().enabled() ? ", " + settings.keys().size() + " API key(s)" : "");
    }

    /** @return the port listened on (the real one when settings asked for 0) */
    public int port() {
        return app == null ? settings.port() : app.port();
    }

    @Override
    public synchronized void stop() {
        if (app != null) {
            app.stop();
            app = null;
        }
        AccessLogAppender.flushAll(access);
        live.close();
        throughput.close();
        metrics.close();
    }

    static boolean isLoopback(String bind) {
        try {
            return InetAddress.getByName(bind).isLoopbackAddress();
        } catch (Exception e) {
            return false;
        }
    }
}
