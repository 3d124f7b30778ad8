package dev.bulwark.workflow.app.domain;

import io.quarkus.hibernate.orm.panache.PanacheEntityBase;
import jakarta.persistence.Entity;
import jakarta.persistence.Id;
import jakarta.persistence.Table;
import java.time.Instant;
import java.util.UUID;

/** An app an organisation added: a container image or an OpenAPI import, its definition kept as JSON. */
@Entity
@Table(name = "app")
public class App extends PanacheEntityBase {

    @Id
    public UUID id;
    public UUID orgId;
    public String name;
    public String version;
    public String kind;
    /** The {@link AppDefinition} as JSON. */
    public String definition;
    public Instant createdAt;
}
