package dev.bulwark.backbone.client.persistence;

import dev.bulwark.backbone.client.domain.DeclaredClients;
import io.quarkus.hibernate.orm.panache.PanacheEntityBase;
import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.Id;
import jakarta.persistence.Table;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import org.hibernate.annotations.JdbcTypeCode;
import org.hibernate.type.SqlTypes;

/** A registered backbone client: who it is at the issuer, what it hears, what it may say, where it is pushed to. */
@Entity
@Table(name = "backbone_client")
public class Client extends PanacheEntityBase {

    @Id
    public String clientId;

    public UUID accountId;

    public String orgId;

    public String name;

    @JdbcTypeCode(SqlTypes.JSON)
    public List<String> subscriptions = new ArrayList<>();

    @JdbcTypeCode(SqlTypes.JSON)
    public List<String> publishRights = new ArrayList<>();

    public boolean broadcast;

    /** Declared in configuration (see {@link DeclaredClients}): no account of the backbone's making, no admin edits. */
    public boolean declared;

    public String webhookUrl;

    @Column(name = "webhook_secret")
    public byte[] webhookSecret;

    public Instant createdAt;

    public Instant updatedAt;

    public static Optional<Client> byId(String clientId) {
        return findByIdOptional(clientId);
    }

    public static Optional<Client> inOrg(String orgId, String clientId) {
        return find("clientId = ?1 and orgId = ?2", clientId, orgId).firstResultOptional();
    }

    public static List<Client> ofOrg(String orgId) {
        return list("orgId = ?1 order by createdAt", orgId);
    }

    public boolean hasWebhook() {
        return webhookUrl != null;
    }
}
