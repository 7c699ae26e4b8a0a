package io.fetchq.http;

import io.fetchq.http.ApiKeys.Scope;
import io.fetchq.store.Store;
import io.fetchq.worker.WorkerPool;
import io.javalin.http.Context;
import java.io.IOException;
import java.io.InputStream;
import java.util.LinkedHashMap;
import java.util.Map;

/** {@code /health}, {@code /metrics}, and the API's own documentation: {@code /openapi.json} and {@code /docs}. */
final class OpsController {
    static final String SWAGGER_UI = "META-INF/resources/webjars/swagger-ui/" + SwaggerUi.VERSION + "/";
    private final Store store;
    private final WorkerPool workers;
    private final ApiMetrics metrics;
    private final byte[] openApi;

    OpsController(Store store, WorkerPool workers, ApiMetrics metrics) {
        this.store = store;
        this.workers = workers;
        this.metrics = metrics;
        this.openApi = resource("openapi.json");
    }

    void health(Context ctx) {
        Map<String, Object> storeState = new LinkedHashMap<>();
        long t0 = System.nanoTime();
        boolean storeOk;
        try {
            store.ping();
            storeOk = true;
            storeState.put("ok", true);
            storeState.put("latency_ms", Math.round((System.nanoTime() - t0) / 1e4) / 100.0);
        } catch (RuntimeException e) {
            storeOk = false;
            storeState.put("ok", false);
            storeState.put("error", e.getMessage());
        }
        storeState.put("kind", store.describe().split(" ", 2)[0]);
        Map<String, Object> workerState = new LinkedHashMap<>();
        boolean workersOk = true;
        if (workers == null) {
            workerState.put("enabled", false);
        } else {
            workersOk = workers.alive();
            workerState.put("enabled", true);
            workerState.put("alive", workersOk);
            workerState.put("worker_id", workers.workerId());
            workerState.put("busy", workers.runningCount());
        }
        boolean ok = storeOk && workersOk;
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("status", ok ? "ok" : "unavailable");
        out.put("store", storeState);
        out.put("workers", workerState);
        ctx.status(ok ? 200 : 503).json(out);
    }

    void metrics(Context ctx) {
        Auth.require(ctx, Scope.READ);
        ctx.contentType("text/plain; version=0.0.4; charset=utf-8").result(metrics.scrape());
    }

    void openApi(Context ctx) {
        ctx.contentType("application/json").result(openApi);
    }

    void docs(Context ctx) {
        ctx.contentType("text/html; charset=utf-8").result(SwaggerUi.page());
    }

    void docsAsset(Context ctx) {
        String file = ctx.pathParam("file");
        String type = SwaggerUi.ASSETS.get(file);
        if (type == null) {
            throw ApiProblem.notFound("no documentation file " + Params.clip(file));
        }
        ctx.header("Cache-Control", "public, max-age=86400");
        ctx.contentType(type).result(resource(SWAGGER_UI + file));
    }

    private static byte[] resource(String name) {
        try (InputStream in = OpsController.class.getClassLoader().getResourceAsStream(name)) {
            if (in == null) {
                throw new IllegalStateException("missing resource " + name + " in the jar");
            }
            return in.readAllBytes();
        } catch (IOException e) {
            throw new IllegalStateException("cannot read resource " + name, e);
        }
    }
}
