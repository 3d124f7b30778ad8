package dev.bulwark.common.egress;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.URI;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class EgressPolicyTest {

    private final EgressPolicy closed = EgressPolicy.of(EgressRules.NONE);

    @ParameterizedTest
    @ValueSource(strings = {"http://127.0.0.1:8082/q/health", "http://localhost/", "http://[::1]/",
            "http://169.254.169.254/latest/meta-data/", "http://10.1.2.3/", "http://172.16.0.1/",
            "http://192.168.1.1/", "http://100.64.0.1/", "http://0.0.0.0/", "http://[fc00::1]/",
            "http://[fe80::1]/", "http://2130706433/", "http://0x7f000001/", "http://[::ffff:127.0.0.1]/",
            "http://224.0.0.1/", "http://127.1/"})
    void internalDestinationsAreRefusedByDefault(String url) {
        EgressRefused refused = assertThrows(EgressRefused.class, () -> closed.check(URI.create(url)));
        assertEquals(400, refused.status());
    }

    @Test
    void theRefusalNamesTheAddressAndTheKeyWithoutPathOrCredentials() {
        EgressRefused refused = assertThrows(EgressRefused.class,
                () -> closed.check(URI.create("http://user:pw@127.0.0.1:8082/q/health?api_key=s3cret")));
        assertEquals("http://127.0.0.1:8082 is refused by the egress policy: 127.0.0.1 is a loopback address"
                + " (allow-list it with bulwark.egress.allow-cidrs or the host with bulwark.egress.allow-hosts)",
                refused.getMessage());
    }

    @Test
    void publicAddressesPass() {
        assertEquals(1, closed.check(URI.create("https://93.184.215.14/")).size());
        assertEquals(1, closed.check(URI.create("http://[2606:4700::1111]:8443/")).size());
    }

    @ParameterizedTest
    @ValueSource(strings = {"file:///etc/passwd", "ftp://93.184.215.14/", "gopher://93.184.215.14/", "jar:x"})
    void onlyHttpSchemesPass(String url) {
        assertThrows(EgressRefused.class, () -> closed.check(URI.create(url)));
    }

    @Test
    void unknownHostsAreRefusedClearly() {
        EgressRefused refused = assertThrows(EgressRefused.class,
                () -> closed.check(URI.create("http://no-such-host.invalid/")));
        assertTrue(refused.getMessage().contains("does not resolve"), refused.getMessage());
    }

    @Test
    void allowListsAdmitRangesHostsAndPorts() {
        EgressPolicy cidr = EgressPolicy.of(new EgressRules(List.of(), List.of("127.0.0.0/8"), List.of()));
        cidr.check(URI.create("http://127.0.0.1:9999/"));
        assertThrows(EgressRefused.class, () -> cidr.check(URI.create("http://10.0.0.1/")));

        EgressPolicy hostAndPort = EgressPolicy.of(new EgressRules(List.of("localhost:8084"), List.of(), List.of()));
        hostAndPort.check(URI.create("http://localhost:8084/iroh/iroh-enrich/observe/observables"));
        assertThrows(EgressRefused.class, () -> hostAndPort.check(URI.create("http://localhost:8081/")));

        EgressPolicy ports = EgressPolicy.of(new EgressRules(List.of(), List.of(), List.of(443)));
        ports.check(URI.create("https://93.184.215.14/"));
        assertThrows(EgressRefused.class, () -> ports.check(URI.create("http://93.184.215.14:25/")));
    }

    @Test
    void organisationRulesApplyOnlyToThatOrganisation() {
        EgressPolicy policy = new EgressPolicy(EgressRules.NONE,
                Map.of("org-a", new EgressRules(List.of(), List.of("10.20.0.0/16"), List.of())), 5, 1024);
        policy.forOrganisation("org-a").check(URI.create("http://10.20.3.4/"));
        assertThrows(EgressRefused.class, () -> policy.forOrganisation("org-b").check(URI.create("http://10.20.3.4/")));
        assertThrows(EgressRefused.class, () -> policy.check(URI.create("http://10.20.3.4/")));
    }

    @Test
    void invalidRangesAreRejected() {
        assertThrows(IllegalArgumentException.class, () -> Cidr.parse("10.0.0.0/33"));
        assertThrows(IllegalArgumentException.class, () -> Cidr.parse("example.org/8"));
    }
}
