package io.fetchq.http;

import com.fasterxml.jackson.databind.JsonNode;
import io.fetchq.http.ApiKeys.Principal;
import io.fetchq.http.ApiKeys.Scope;
import io.fetchq.scrape.ScrapeService;
import io.fetchq.scrape.ScrapeSubmission;
import io.fetchq.scrape.UrlSpec;
import io.fetchq.store.ScrapeJobRead;
import io.fetchq.store.ScrapeJobRecord;
import io.fetchq.store.ScrapeResult;
import io.fetchq.store.ScrapeUrlRecord;
import io.javalin.http.Context;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/** {@code /jobs}: submit URLs, read a job, its results, cancel it, retry its failed URLs, list jobs. */
final class JobsController {
    static final Set<String> STATUSES = Set.of("queued", "running", "completed", "failed", "cancelled");
    private static final Set<String> SUBMIT_FIELDS = Set.of("url", "urls", "priority", "metadata", "max_attempts",
            "max_age_seconds", "delay_seconds", "callback_url", "respect_robots");
    private static final Set<String> URL_FIELDS = Set.of("url", "priority", "metadata");
    private static final int MAX_IDEMPOTENCY_KEY = 255;

    private final ScrapeService scrape;
    private final long maxBodyBytes;
    private final ApiMetrics metrics;

    JobsController(ScrapeService scrape, long maxBodyBytes, ApiMetrics metrics) {
        this.scrape = scrape;
        this.maxBodyBytes = maxBodyBytes;
        this.metrics = metrics;
    }

    void submit(Context ctx) {
        Principal who = Auth.require(ctx, Scope.WRITE);
        String key = ctx.header("Idempotency-Key");
        if (key != null && (key.isBlank() || key.length() > MAX_IDEMPOTENCY_KEY)) {
            throw new ApiProblem(400, "the Idempotency-Key header must be 1 to " + MAX_IDEMPOTENCY_KEY + " characters");
        }
        byte[] body = JsonBody.bytes(ctx, maxBodyBytes);
        ScrapeSubmission submission = submission(JsonBody.object(body), who);
        ScrapeJobRecord job;
        boolean created = true;
        if (key == null) {
            job = scrape.submit(submission);
        } else {
            ScrapeService.Submitted s = scrape.submitIdempotent(submission, key, sha256(body));
            job = s.job();
            created = s.created();
        }
        if (created) {
            metrics.submitted(job.total(), job.cached());
        }
        Map<String, Object> view;
        if (created && job.total() == 1 && job.cached() == 0) {
            // a new job of one URL to fetch: nothing about it is stored yet but what was just written
            UrlSpec only = submission.urls().get(0);
            view = Views.jobWithUrl(job, new ScrapeResult(new ScrapeUrlRecord(job.id(), 0, only.url().strip(), null, 0,
                    only.metadataJson(), "queued", null, false, null, null, null, 0, job.createdAt(), job.createdAt(),
                    null), null));
        } else {
            view = view(job);
        }
        ctx.status(created ? 201 : 200).header("Location", "/jobs/" + job.id()).json(view);
    }

    void get(Context ctx) {
        Principal who = Auth.require(ctx, Scope.READ);
        String id = ctx.pathParam("id");
        ScrapeJobRead read = scrape.read(id).orElseThrow(() -> notFound(id));
        if (who.ownerFilter() != null && !who.ownerFilter().equals(read.job().owner())) {
            throw notFound(id);
        }
        ctx.json(read.onlyUrl() == null ? Views.job(read.job()) : Views.jobWithUrl(read.job(), read.onlyUrl()));
    }

    void results(Context ctx) {
        ScrapeJobRecord job = visibleJob(ctx, Scope.READ);
        int limit = Params.intParam(ctx, "limit", 100, 1, 1000);
        int after = Params.intParam(ctx, "cursor", -1, -1, Integer.MAX_VALUE);
        boolean withContent = Params.boolParam(ctx, "content", false);
        List<ScrapeResult> rows = scrape.results(job.id(), after, limit);
        List<Map<String, Object>> results = new ArrayList<>(rows.size());
        for (ScrapeResult r : rows) {
            results.add(Views.result(r, withContent));
        }
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("job_id", job.id());
        out.put("status", job.status());
        out.put("results", results);
        int last = rows.isEmpty() ? -1 : rows.get(rows.size() - 1).url().idx();
        out.put("next_cursor", rows.size() == limit && last + 1 < job.total() ? String.valueOf(last) : null);
        ctx.json(out);
    }

    void cancel(Context ctx) {
        ScrapeJobRecord job = visibleJob(ctx, Scope.WRITE);
        ctx.json(view(scrape.cancel(job.id()).orElseThrow(() -> notFound(job.id()))));
    }

    void retry(Context ctx) {
        ScrapeJobRecord job = visibleJob(ctx, Scope.WRITE);
        ctx.json(view(scrape.retryFailed(job.id()).orElseThrow(() -> notFound(job.id()))));
    }

    void list(Context ctx) {
        Principal who = Auth.require(ctx, Scope.READ);
        String status = ctx.queryParam("status");
        if (status != null && !STATUSES.contains(status)) {
            throw ApiProblem.badField("status", "must be one of queued, running, completed, failed, cancelled; got '"
                    + Params.clip(status) + "'");
        }
        int limit = Params.intParam(ctx, "limit", 50, 1, 1000);
        String cursor = ctx.queryParam("cursor");
        if (cursor != null && (cursor.isBlank() || cursor.length() > 64)) {
            throw ApiProblem.badField("cursor", "must be the next_cursor of a previous page");
        }
        List<ScrapeJobRecord> jobs = scrape.list(who.ownerFilter(), status, cursor, limit);
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("jobs", jobs.stream().map(Views::job).toList());
        out.put("next_cursor", jobs.size() == limit ? jobs.get(jobs.size() - 1).id() : null);
        ctx.json(out);
    }

    /** The job named in the path, if this principal may see it (another owner's job is "not found"). */
    ScrapeJobRecord visibleJob(Context ctx, Scope needed) {
        Principal who = Auth.require(ctx, needed);
        String id = ctx.pathParam("id");
        ScrapeJobRecord job = scrape.get(id).orElseThrow(() -> notFound(id));
        if (who.ownerFilter() != null && !who.ownerFilter().equals(job.owner())) {
            throw notFound(id);
        }
        return job;
    }

    private Map<String, Object> view(ScrapeJobRecord job) {
        if (job.total() == 1) {
            ScrapeJobRead read = scrape.read(job.id()).orElse(null);
            if (read != null && read.onlyUrl() != null) {
                return Views.jobWithUrl(read.job(), read.onlyUrl());
            }
        }
        return Views.job(job);
    }

    private static ApiProblem notFound(String id) {
        return ApiProblem.notFound("no job " + Params.clip(id));
    }

    private static ScrapeSubmission submission(JsonNode body, Principal who) {
        JsonBody.onlyFields(body, "", SUBMIT_FIELDS);
        JsonNode one = body.get("url");
        JsonNode many = body.get("urls");
        List<UrlSpec> urls = new ArrayList<>();
        if ((one == null || one.isNull()) == (many == null || many.isNull())) {
            throw new ApiProblem(400, "give either `url` (one URL) or `urls` (a list), not both and not neither",
                    List.of(new ApiProblem.FieldError("url", "give url or urls")));
        }
        if (one != null && !one.isNull()) {
            if (!one.isTextual()) {
                throw ApiProblem.badField("url", "must be a string, got " + JsonBody.kind(one));
            }
            urls.add(UrlSpec.of(one.textValue()));
        } else {
            if (!many.isArray()) {
                throw ApiProblem.badField("urls", "must be an array of URLs or {url, priority, metadata} objects, got "
                        + JsonBody.kind(many));
            }
            if (many.size() > ScrapeService.MAX_URLS) {
                throw ApiProblem.badField("urls", "may hold at most " + ScrapeService.MAX_URLS + " URLs, got " + many.size());
            }
            for (int i = 0; i < many.size(); i++) {
                JsonNode u = many.get(i);
                String field = "urls[" + i + "]";
                if (u.isTextual()) {
                    urls.add(UrlSpec.of(u.textValue()));
                } else if (u.isObject()) {
                    JsonBody.onlyFields(u, field, URL_FIELDS);
                    String url = JsonBody.optString(u, "url", field + ".url");
                    if (url == null) {
                        throw ApiProblem.badField(field + ".url", "is missing");
                    }
                    urls.add(new UrlSpec(url, JsonBody.optInt(u, "priority", field + ".priority", 1, 10),
                            JsonBody.optObjectJson(u, "metadata", field + ".metadata")));
                } else {
                    throw ApiProblem.badField(field, "must be a URL string or an object {url, priority, metadata}, got "
                            + JsonBody.kind(u));
                }
            }
        }
        Boolean robots = JsonBody.optBoolean(body, "respect_robots", "respect_robots");
        if (Boolean.FALSE.equals(robots) && who.scope() != Scope.ADMIN) {
            throw new ApiProblem(403, "only admin keys may set respect_robots to false");
        }
        return new ScrapeSubmission(urls,
                JsonBody.optInt(body, "priority", "priority", 1, 10),
                JsonBody.optObjectJson(body, "metadata", "metadata"),
                JsonBody.optInt(body, "max_attempts", "max_attempts", 1, 20),
                JsonBody.optLong(body, "max_age_seconds", "max_age_seconds", 0, 10L * 365 * 86_400),
                JsonBody.optLong(body, "delay_seconds", "delay_seconds", 0, 365L * 86_400),
                JsonBody.optString(body, "callback_url", "callback_url"),
                who.owner(), robots);
    }

    private static String sha256(byte[] body) {
        try {
            MessageDigest d = MessageDigest.getInstance("SHA-256");
            d.update("POST /jobs\n".getBytes(StandardCharsets.US_ASCII));
            return HexFormat.of().formatHex(d.digest(body));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
