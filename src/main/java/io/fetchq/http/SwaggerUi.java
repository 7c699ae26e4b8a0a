package io.fetchq.http;

import java.util.Map;

/** Swagger UI at {@code /docs}, served from its webjar in our jar: no CDN, works offline. */
final class SwaggerUi {
    /** Must match the swagger-ui webjar version in pom.xml (a test checks the files are there). */
    static final String VERSION = "5.34.1";

    static final Map<String, String> ASSETS = Map.of(
            "swagger-ui.css", "text/css; charset=utf-8",
            "swagger-ui-bundle.js", "text/javascript; charset=utf-8",
            "swagger-ui-standalone-preset.js", "text/javascript; charset=utf-8",
            "favicon-32x32.png", "image/png",
            "favicon-16x16.png", "image/png");

    private SwaggerUi() {
    }

    static String page() {
        return """
                <!doctype html>
                <html lang="en">
                <head>
                  <meta charset="utf-8">
                  <meta name="viewport" content="width=device-width, initial-scale=1">
                  <title>fetchq API</title>
                  <link rel="stylesheet" href="/docs/swagger-ui.css">
                  <link rel="icon" type="image/png" href="/docs/favicon-32x32.png" sizes="32x32">
                </head>
                <body>
                  <div id="swagger-ui"></div>
                  <script src="/docs/swagger-ui-bundle.js"></script>
                  <script src="/docs/swagger-ui-standalone-preset.js"></script>
                  <script>
                    window.ui = SwaggerUIBundle({
                      url: "/openapi.json",
                      dom_id: "#swagger-ui",
                      deepLinking: true,
                      persistAuthorization: true,
                      presets: [SwaggerUIBundle.presets.apis, SwaggerUIStandalonePreset],
                      layout: "BaseLayout"
                    });
                  </script>
                </body>
                </html>
                """;
    }
}
