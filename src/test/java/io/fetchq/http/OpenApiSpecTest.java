package io.fetchq.http;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatCode;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The spec checker itself: it must be able to fail, and the spec's references must all resolve. */
class OpenApiSpecTest {
    private final OpenApiSpec spec = OpenApiSpec.INSTANCE;

    @Test
    void aBodyThatDoesNotMatchItsSchemaFails() {
        assertThatThrownBy(() -> spec.check("GET", "/jobs/abc", 200, "application/json", "{\"id\":1}"))
                .isInstanceOf(AssertionError.class).hasMessageContaining("does not match the spec");
    }

    @Test
    void anUndeclaredStatusFails() {
        assertThatThrownBy(() -> spec.check("GET", "/jobs/abc", 418, "application/json", "{}"))
                .isInstanceOf(AssertionError.class).hasMessageContaining("does not declare");
    }

    @Test
    void anUnknownPathFailsUnlessItIsAProblem404() {
        assertThatThrownBy(() -> spec.check("GET", "/nope", 200, "application/json", "{}")).isInstanceOf(AssertionError.class);
        assertThatCode(() -> spec.check("GET", "/nope", 404, "application/problem+json",
                "{\"type\":\"about:blank\",\"title\":\"Not Found\",\"status\":404,\"detail\":\"x\",\"instance\":\"/nope\","
                        + "\"request_id\":\"r\"}")).doesNotThrowAnyException();
    }

    @Test
    void everyReferenceResolves() {
        List<String> refs = new ArrayList<>();
        collect(spec.spec(), refs);
        assertThat(refs).isNotEmpty();
        for (String ref : refs) {
            assertThat(spec.spec().at(ref.substring(1)).isMissingNode()).as(ref).isFalse();
        }
    }

    private static void collect(JsonNode n, List<String> refs) {
        if (n.isObject()) {
            n.properties().forEach(e -> {
                if (e.getKey().equals("$ref")) {
                    refs.add(e.getValue().asText());
                } else {
                    collect(e.getValue(), refs);
                }
            });
        } else if (n.isArray()) {
            n.forEach(c -> collect(c, refs));
        }
    }
}
