package dev.bulwark.relay.feed.domain;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import dev.bulwark.relay.indicator.domain.IndicatorType;
import java.util.List;
import org.junit.jupiter.api.Test;

class StixPatternTest {

    @Test
    void equalityComparisonsJoinedByOrAreRead() {
        assertEquals(List.of(new StixPattern.Term(IndicatorType.IP, "192.0.2.1")),
                StixPattern.terms("[ipv4-addr:value = '192.0.2.1']"));
        assertEquals(List.of(new StixPattern.Term(IndicatorType.DOMAIN, "a.example"),
                        new StixPattern.Term(IndicatorType.URL, "http://b.example/it's"),
                        new StixPattern.Term(IndicatorType.SHA256, "ab"),
                        new StixPattern.Term(IndicatorType.MD5, "cd")),
                StixPattern.terms("[domain-name:value = 'a.example' OR url:value = 'http://b.example/it\\'s'] OR "
                        + "[file:hashes.'SHA-256' = 'ab' OR file:hashes.MD5 = 'cd']"));
        assertEquals(List.of(new StixPattern.Term(IndicatorType.EMAIL, "x@example.com"),
                        new StixPattern.Term(IndicatorType.IPV6, "2001:db8::/32")),
                StixPattern.terms("[email-addr:value='x@example.com'] OR [ipv6-addr:value = '2001:db8::/32']"));
    }

    @Test
    void whatOneStoredValueCannotExpressIsRefused() {
        for (String pattern : new String[] {
                "[ipv4-addr:value = '1.2.3.4' AND domain-name:value = 'a.example']",
                "[ipv4-addr:value = '1.2.3.4'] FOLLOWEDBY [ipv4-addr:value = '1.2.3.5']",
                "[ipv4-addr:value != '1.2.3.4']",
                "[domain-name:value LIKE '%.example']",
                "[ipv4-addr:value = '1.2.3.4'] WITHIN 5 SECONDS",
                "[process:name = 'evil.exe']",
                "ipv4-addr:value = '1.2.3.4'",
                "[ipv4-addr:value = '1.2.3.4'",
                "[[ipv4-addr:value = '1.2.3.4']]",
                ""}) {
            assertThrows(IllegalArgumentException.class, () -> StixPattern.terms(pattern), pattern);
        }
    }
}
