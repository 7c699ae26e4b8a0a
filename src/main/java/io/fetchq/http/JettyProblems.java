package io.fetchq.http;

import io.javalin.http.HttpStatus;
import java.nio.ByteBuffer;
import java.nio.charset.Charset;
import java.util.List;
import org.eclipse.jetty.http.HttpHeader;
import org.eclipse.jetty.server.Request;
import org.eclipse.jetty.server.Response;
import org.eclipse.jetty.util.Callback;

/**
 * Jetty refuses some requests before Javalin sees them (an ambiguous URI such as {@code /jobs/%00}, a bad
 * header); its default answer is an HTML page. This writes the same problem+json as every other refusal.
 */
final class JettyProblems extends org.eclipse.jetty.ee10.servlet.ErrorHandler {
    @Override
    protected boolean generateAcceptableResponse(Request request, Response response, Callback callback, String contentType,
                                                 List<Charset> charsets, int code, String message, Throwable cause) {
        String id = RequestIds.fresh();
        String reason = HttpStatus.forStatus(code).getMessage();
        String detail = code >= 500 ? "internal error (request " + id + ")"
                : "the request could not be read" + (message == null || message.isBlank() || message.equals(reason) ? ""
                : ": " + Params.clip(message));
        byte[] body = Problems.body(code, detail, safePath(request), id, List.of());
        response.setStatus(code);
        response.getHeaders().put(HttpHeader.CONTENT_TYPE, Problems.CONTENT_TYPE);
        response.getHeaders().put(RequestIds.HEADER, id);
        response.write(true, ByteBuffer.wrap(body), callback);
        return true;
    }

    private static String safePath(Request request) {
        String p = request.getHttpURI() == null ? null : request.getHttpURI().getPath();
        return p == null ? "" : Params.clip(p);
    }
}
