package io.fetchq.store;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.HashSet;
import java.util.Set;
import org.junit.jupiter.api.Test;

class IdsTest {

    @Test
    void idsAreDistinctUrlSafeAndStartWithALetterOrDigitSoNoCommandLineTakesOneForAnOption() {
        Set<String> seen = new HashSet<>();
        Set<Character> firsts = new HashSet<>();
        for (int i = 0; i < 20_000; i++) {
            String id = Ids.newId();
            assertThat(id).matches("[A-Za-z0-9][A-Za-z0-9_-]{21}");
            assertThat(seen.add(id)).isTrue();
            firsts.add(id.charAt(0));
        }
        assertThat(firsts).as("every letter and digit turns up first").hasSize(62);
    }
}
