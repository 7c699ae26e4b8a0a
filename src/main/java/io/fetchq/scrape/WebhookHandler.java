package io.fetchq.scrape;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.fetchq.events.EventKind;
import io.fetchq.fetch.FetchError;
import io.fetchq.fetch.FetchException;
import io.fetchq.fetch.FetchRequest;
import io.fetchq.fetch.FetchResponse;
import io.fetchq.fetch.Fetcher;
import io.fetchq.store.ScrapeJobRecord;
import io.fetchq.store.ScrapeStore;
import io.fetchq.worker.JobContext;
import io.fetchq.worker.JobHandler;
import io.fetchq.worker.JobResult;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;

/**
 * Delivers a finished job's webhook: a POST of the job's view as JSON to its callback URL, through the
 * same SSRF-guarded client as every fetch, signed with {@link WebhookSigner}. Anything but a 2xx is
 * retried with the engine's backoff until the delivery's attempts run out (it is then a dead letter);
 * a callback URL the guard refuses is given up at once.
 */
public final class WebhookHandler implements JobHandler {
    private static final ObjectMapper JSON = new ObjectMapper();
    /** Webhooks carry the same event kind as live updates. */
    public static final String EVENT = EventKind.JOB_FINISHED.wireName();

    private final ScrapeStore scrapes;
    private final Fetcher fetcher;
    private final WebhookSigner signer;

    public WebhookHandler(ScrapeStore scrapes, Fetcher fetcher, WebhookSigner signer) {
        this.scrapes = scrapes;
        this.fetcher = fetcher;
        this.signer = signer;
    }

    @Override
    public JobResult handle(JobContext ctx) throws Exception {
        JsonNode payload = JSON.readTree(ctx.payload());
        String jobId = payload.path("job_id").asText();
        Optional<ScrapeJobRecord> job = scrapes.scrapeJobGet(jobId);
        if (job.isEmpty() || job.get().callbackUrl() == null) {
            return JobResult.fail("job " + jobId + " or its callback URL no longer exists");
        }
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("event", EVENT);
        body.put("job", ScrapeJobView.of(job.get()));
        byte[] bytes = JSON.writeValueAsBytes(body);
        Map<String, String> headers = Map.of(WebhookSigner.HEADER, signer.sign(bytes), "X-Fetchq-Event", EVENT,
                "X-Fetchq-Delivery", ctx.job().id());
        try {
            FetchResponse r = fetcher.fetch(FetchRequest.post(job.get().callbackUrl(), "application/json", bytes, headers));
            if (r.isSuccess()) {
                return JobResult.success();
            }
            return JobResult.retryAfter("http_" + r.status() + ": the callback answered " + r.status(), r.retryAfter());
        } catch (FetchException e) {
            if (e.error() == FetchError.BLOCKED_ADDRESS || e.error() == FetchError.INVALID_URL) {
                return JobResult.fail(e.error().code() + ": " + e.getMessage());
            }
            return JobResult.retry(e.error().code() + ": " + e.getMessage());
        }
    }
}
