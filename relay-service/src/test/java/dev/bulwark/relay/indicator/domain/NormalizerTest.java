package dev.bulwark.relay.indicator.domain;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.List;
import org.junit.jupiter.api.Test;

class NormalizerTest {

    @Test
    void addressesAndNetworksTakeTheirCanonicalForm() {
        assertEquals(new Normalized(IndicatorType.IP, "192.0.2.1", "192.0.2.1/32"),
                Normalizer.normalize(IndicatorType.IP, " 192.0.2.1 "));
        assertEquals(new Normalized(IndicatorType.IP, "10.0.0.0/8", "10.0.0.0/8"),
                Normalizer.normalize(IndicatorType.IP, "10.1.2.3/8"));
        assertEquals(new Normalized(IndicatorType.IPV6, "2001:db8::1", "2001:db8::1/128"),
                Normalizer.normalize(IndicatorType.IP, "2001:DB8:0:0:0:0:0:1"));
        assertEquals(new Normalized(IndicatorType.IPV6, "2001:db8::/32", "2001:db8::/32"),
                Normalizer.normalize(IndicatorType.IPV6, "2001:db8:ffff::/32"));
        assertThrows(IllegalArgumentException.class, () -> Normalizer.normalize(IndicatorType.IP, "256.1.1.1"));
        assertThrows(IllegalArgumentException.class, () -> Normalizer.normalize(IndicatorType.IP, "10.0.0.0/33"));
        assertThrows(IllegalArgumentException.class, () -> Normalizer.normalize(IndicatorType.IP, "example.com"));
    }

    @Test
    void domainsUrlsHashesAndEmailsAreLowerCasedAndChecked() {
        assertEquals("mail.example.com", Normalizer.normalize(IndicatorType.DOMAIN, "*.Mail.Example.COM.").value());
        assertEquals("xn--bcher-kva.example", Normalizer.normalize(IndicatorType.DOMAIN, "bücher.example").value());
        assertEquals("https://www.example.com/Path?q=A", Normalizer.normalize(IndicatorType.URL,
                "HTTPS://WWW.Example.com:443/Path?q=A#frag").value());
        assertEquals("http://192.0.2.1:8080/", Normalizer.normalize(IndicatorType.URL, "http://192.0.2.1:8080").value());
        assertEquals("d41d8cd98f00b204e9800998ecf8427e",
                Normalizer.normalize(IndicatorType.MD5, "D41D8CD98F00B204E9800998ECF8427E").value());
        assertEquals("phish@example.com", Normalizer.normalize(IndicatorType.EMAIL, "Phish@Example.COM").value());
        assertThrows(IllegalArgumentException.class, () -> Normalizer.normalize(IndicatorType.DOMAIN, "localhost"));
        assertThrows(IllegalArgumentException.class, () -> Normalizer.normalize(IndicatorType.DOMAIN, "a b.com"));
        assertThrows(IllegalArgumentException.class, () -> Normalizer.normalize(IndicatorType.URL, "javascript:x"));
        assertThrows(IllegalArgumentException.class, () -> Normalizer.normalize(IndicatorType.SHA1, "abc"));
        assertThrows(IllegalArgumentException.class,
                () -> Normalizer.normalize(IndicatorType.DOMAIN, "a".repeat(Normalizer.MAX_LENGTH + 1)));
    }

    @Test
    void typesOfBareValuesAreInferred() {
        assertEquals(IndicatorType.IP, Normalizer.infer("192.0.2.0/24"));
        assertEquals(IndicatorType.IPV6, Normalizer.infer("2001:db8::1"));
        assertEquals(IndicatorType.SHA256, Normalizer.infer("ab".repeat(32)));
        assertEquals(IndicatorType.URL, Normalizer.infer("http://example.com/x"));
        assertEquals(IndicatorType.EMAIL, Normalizer.infer("a@example.com"));
        assertEquals(IndicatorType.DOMAIN, Normalizer.infer("example.com"));
    }

    @Test
    void parentDomainsStopAtTheLastTwoLabels() {
        assertEquals(List.of("a.b.example.com", "b.example.com", "example.com"),
                Normalizer.domainAndParents("a.b.example.com"));
    }
}
