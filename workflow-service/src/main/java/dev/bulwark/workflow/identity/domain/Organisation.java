package dev.bulwark.workflow.identity.domain;

import io.quarkus.hibernate.orm.panache.PanacheEntityBase;
import jakarta.persistence.Entity;
import jakarta.persistence.Id;
import jakarta.persistence.Table;
import java.time.Instant;
import java.util.UUID;

@Entity
@Table(name = "organisation")
public class Organisation extends PanacheEntityBase {

    @Id
    public UUID id;
    public String name;
    public Instant createdAt;

    static Organisation create(String name) {
        Organisation org = new Organisation();
        org.id = UUID.randomUUID();
        org.name = name;
        org.createdAt = Instant.now();
        return org;
    }
}
