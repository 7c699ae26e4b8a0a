package io.fetchq.http;

import io.fetchq.http.ApiKeys.Scope;
import io.fetchq.scrape.PageBuilder;
import io.fetchq.scrape.ScrapeService;
import io.fetchq.store.Page;
import io.javalin.http.Context;

/** {@code /pages/{id}}: a stored page's metadata, and its raw body with its original content type. */
final class PagesController {
    private final ScrapeService scrape;

    PagesController(ScrapeService scrape) {
        this.scrape = scrape;
    }

    void get(Context ctx) {
        Auth.require(ctx, Scope.READ);
        ctx.json(Views.page(page(ctx)));
    }

    void content(Context ctx) {
        Auth.require(ctx, Scope.READ);
        Page p = page(ctx);
        if (p.bodyCompressed() == null) {
            throw ApiProblem.notFound("page " + p.id() + " was stored without its body");
        }
        String type = p.contentType() == null ? "application/octet-stream" : p.contentType();
        if (p.charset() != null && !type.toLowerCase(java.util.Locale.ROOT).contains("charset=") && Views.isText(type)) {
            type = type + "; charset=" + p.charset();
        }
        ctx.header("X-Content-Type-Options", "nosniff");
        // a fetched page is somebody else's content: never let a browser run it in the API's origin
        ctx.header("Content-Security-Policy", "sandbox");
        ctx.header("ETag", "\"" + p.sha256() + "\"");
        ctx.contentType(type).result(PageBuilder.decompress(p.bodyCompressed()));
    }

    private Page page(Context ctx) {
        String id = ctx.pathParam("id");
        return scrape.page(id).orElseThrow(() -> ApiProblem.notFound("no page " + Params.clip(id)));
    }
}
