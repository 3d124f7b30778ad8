package dev.bulwark.workflow.identity.revocation;

import dev.bulwark.workflow.identity.config.IssuerConfig;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.persistence.EntityManager;
import jakarta.transaction.Transactional;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Instant;
import java.util.HexFormat;
import java.util.List;

/**
 * The issuer's revocation list (SUITE-COMMON-CONTRACT.md "Token revocation"): an entry voids every token whose
 * {@code sub} or {@code sid} hashes to its id and whose {@code iat} is before its {@code notBefore}. Entries are
 * written in the transaction of the change that causes them (member removed, role changed, API key or service
 * account revoked, secret rotated).
 */
@ApplicationScoped
public class Revocations {

    private final EntityManager em;
    private final IssuerConfig issuer;

    Revocations(EntityManager em, IssuerConfig issuer) {
        this.em = em;
        this.issuer = issuer;
    }

    public record Entry(String id, long notBefore) {
    }

    public record Document(List<Entry> revocations) {
    }

    /**
     * Voids the tokens of a subject ({@code sub}) or credential ({@code sid}) issued so far. {@code iat} has whole
     * seconds, so {@code notBefore} is the next second: a token from this second is void too, and the issuer makes
     * new tokens of the subject wait for that second ({@link #notBefore}).
     */
    @Transactional(Transactional.TxType.MANDATORY)
    public void revoke(String subjectOrSid) {
        Instant notBefore = Instant.ofEpochSecond(Instant.now().getEpochSecond() + 1);
        em.createNativeQuery("""
                insert into token_revocation (id, not_before) values (:id, :notBefore)
                on conflict (id) do update set not_before = greatest(token_revocation.not_before, :notBefore)""")
                .setParameter("id", hash(subjectOrSid))
                .setParameter("notBefore", notBefore)
                .executeUpdate();
        TokenRevocation.delete("notBefore < ?1", Instant.now().minus(issuer.tokenLifetime()));
    }

    /** The list the suite's verifiers poll: entries young enough to void a token still valid. */
    public Document document() {
        Instant since = Instant.now().minus(issuer.tokenLifetime());
        return new Document(TokenRevocation.<TokenRevocation>list("notBefore >= ?1 order by notBefore", since).stream()
                .map(r -> new Entry(r.id, r.notBefore.getEpochSecond())).toList());
    }

    /** The latest {@code notBefore} that applies to a new token of this subject and credential, if any. */
    public Instant notBefore(String subject, String sid) {
        List<String> ids = sid == null ? List.of(hash(subject)) : List.of(hash(subject), hash(sid));
        return TokenRevocation.<TokenRevocation>list("id in ?1", ids).stream().map(r -> r.notBefore)
                .max(Instant::compareTo).orElse(Instant.EPOCH);
    }

    public static String hash(String value) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256")
                    .digest(value.getBytes(StandardCharsets.UTF_8)));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
