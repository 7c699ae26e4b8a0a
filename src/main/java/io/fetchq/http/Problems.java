package io.fetchq.http;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.fetchq.broker.BrokerException;
import io.fetchq.scrape.InvalidSubmissionException;
import io.fetchq.scrape.ScrapeService;
import io.fetchq.store.StoreException;
import io.javalin.config.JavalinConfig;
import io.javalin.http.Context;
import io.javalin.http.HttpResponseException;
import io.javalin.http.HttpStatus;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The one place that turns every failure into {@code application/problem+json} (RFC 9457): refusals the
 * handlers throw, the framework's own (unknown route, wrong method, body too large), and anything
 * unexpected, which is logged with its stack trace and answered with a 500 that shows none.
 */
final class Problems {
    static final String CONTENT_TYPE = "application/problem+json";
    private static final Logger log = LoggerFactory.getLogger(Problems.class);
    private static final ObjectMapper JSON = new ObjectMapper();

    private Problems() {
    }

    static void register(JavalinConfig config) {
        config.routes.exception(ApiProblem.class, (e, ctx) -> write(ctx, e.status(), e.getMessage(), e.errors()));
        config.routes.exception(InvalidSubmissionException.class, (e, ctx) -> {
            List<ApiProblem.FieldError> errors = e.problems().stream()
                    .map(p -> new ApiProblem.FieldError(p.field(),
                            p.reason() + (p.url() == null || p.field().equals("callback_url") ? "" : " (" + p.url() + ")")))
                    .toList();
            write(ctx, 400, e.getMessage(), errors);
        });
        config.routes.exception(BrokerException.class, (e, ctx) -> {
            switch (e.kind()) {
                case INVALID -> write(ctx, 400, e.getMessage(), List.of(new ApiProblem.FieldError(e.field(), e.reason())));
                case NOT_FOUND -> write(ctx, 404, e.getMessage(), List.of());
                case STALE_RECEIPT -> write(ctx, 410, e.getMessage(), List.of());
            }
        });
        config.routes.exception(ScrapeService.KeyReusedException.class, (e, ctx) -> write(ctx, 422, e.getMessage(), List.of()));
        config.routes.exception(ScrapeService.ConflictException.class, (e, ctx) -> write(ctx, 409, e.getMessage(), List.of()));
        config.routes.exception(HttpResponseException.class, (e, ctx) -> write(ctx, e.getStatus(), frameworkDetail(e, ctx), List.of()));
        config.routes.exception(StoreException.class, (e, ctx) -> {
            log.error("store failure on {} {} (request {})", ctx.method(), ctx.path(), RequestIds.of(ctx), e);
            write(ctx, 503, "the database is not answering; try again shortly (request " + RequestIds.of(ctx) + ")", List.of());
        });
        config.routes.exception(Exception.class, (e, ctx) -> {
            log.error("unexpected failure on {} {} (request {})", ctx.method(), ctx.path(), RequestIds.of(ctx), e);
            write(ctx, 500, "internal error; the server log has the details (request " + RequestIds.of(ctx) + ")", List.of());
        });
        config.routes.error(404, ctx -> {
            if (!isProblem(ctx)) {
                write(ctx, 404, "no route " + ctx.method().name() + " " + Params.clip(ctx.path()) + "; see /docs for the API",
                        List.of());
            }
        });
        config.routes.error(405, ctx -> {
            if (!isProblem(ctx)) {
                write(ctx, 405, "method " + ctx.method().name() + " is not allowed on " + Params.clip(ctx.path()), List.of());
            }
        });
    }

    private static boolean isProblem(Context ctx) {
        String type = ctx.res().getContentType();
        return type != null && type.startsWith(CONTENT_TYPE);
    }

    private static String frameworkDetail(HttpResponseException e, Context ctx) {
        return switch (e.getStatus()) {
            case 413 -> "the request body is larger than this server accepts";
            case 404 -> "no route " + ctx.method().name() + " " + Params.clip(ctx.path()) + "; see /docs for the API";
            case 405 -> "method " + ctx.method().name() + " is not allowed on " + Params.clip(ctx.path());
            default -> e.getMessage() == null ? HttpStatus.forStatus(e.getStatus()).getMessage() : e.getMessage();
        };
    }

    static void write(Context ctx, int status, String detail, List<ApiProblem.FieldError> errors) {
        ctx.status(status).contentType(CONTENT_TYPE).result(body(status, detail, ctx.path(), RequestIds.of(ctx), errors));
    }

    /** The problem+json document: RFC 9457's members, the request id, and the offending fields if any. */
    static byte[] body(int status, String detail, String instance, String requestId, List<ApiProblem.FieldError> errors) {
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("type", "about:blank");
        body.put("title", HttpStatus.forStatus(status).getMessage());
        body.put("status", status);
        body.put("detail", detail);
        body.put("instance", instance);
        body.put("request_id", requestId);
        if (!errors.isEmpty()) {
            body.put("errors", errors.stream().map(e -> {
                Map<String, String> m = new LinkedHashMap<>();
                m.put("field", e.field());
                m.put("reason", e.reason());
                return m;
            }).toList());
        }
        try {
            return JSON.writeValueAsBytes(body);
        } catch (JsonProcessingException e) {
            return ("{\"status\":" + status + "}").getBytes(java.nio.charset.StandardCharsets.UTF_8);
        }
    }
}
