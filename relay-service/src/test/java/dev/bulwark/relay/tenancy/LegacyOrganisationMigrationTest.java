package dev.bulwark.relay.tenancy;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.flywaydb.core.Flyway;
import org.flywaydb.core.api.FlywayException;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.postgresql.ds.PGSimpleDataSource;

/**
 * The organisation migration on a database written before organisations existed, in a schema of its own: the rows
 * go to the configured legacy organisation, and without one the migration stops instead of guessing.
 */
class LegacyOrganisationMigrationTest {

    private final String schema = "legacy_" + UUID.randomUUID().toString().replace("-", "").substring(0, 12);
    private PGSimpleDataSource dataSource;

    @BeforeEach
    void databaseOfTheFirstVersion() throws SQLException {
        dataSource = new PGSimpleDataSource();
        dataSource.setUrl(System.getenv().getOrDefault("QUARKUS_DATASOURCE_JDBC_URL",
                "jdbc:postgresql://localhost:5432/bulwark_relay"));
        dataSource.setUser("bulwark");
        dataSource.setPassword("bulwark");
        try (Connection c = dataSource.getConnection(); Statement s = c.createStatement()) {
            // In public, as the service's own migration would: created inside the test schema, dropping the schema
            // would take the extension, and the service's indexes built on it, along.
            s.execute("create extension if not exists btree_gist schema public");
        }
        flyway("unset").target("1").load().migrate();
        try (Connection c = dataSource.getConnection(); Statement s = c.createStatement()) {
            s.execute("set search_path to " + schema + ", public");
            s.executeUpdate("insert into feed (id, name, url, format, interval_seconds, created_at) values "
                    + "('00000000-0000-4000-8000-000000000001', 'old feed', 'https://feeds.example/x', 'csv', 60, now())");
            s.executeUpdate("insert into indicator (id, type, value, disposition, confidence, severity, source, tlp, "
                    + "valid_from, created_at, updated_at) values ('00000000-0000-4000-8000-000000000002', 'domain', "
                    + "'old.example', 2, 'High', 'High', 'old source', 'green', now(), now(), now())");
            s.executeUpdate("insert into sighting (id, indicator_id, external_id, count, first_seen, last_seen, title, "
                    + "source) values ('00000000-0000-4000-8000-000000000003', '00000000-0000-4000-8000-000000000002', "
                    + "'s1', 1, now(), now(), 'seen', 'old source')");
        }
    }

    @AfterEach
    void dropSchema() throws SQLException {
        try (Connection c = dataSource.getConnection(); Statement s = c.createStatement()) {
            s.execute("drop schema " + schema + " cascade");
        }
    }

    @Test
    void existingRowsGoToTheLegacyOrganisation() throws SQLException {
        flyway("org-legacy").load().migrate();
        assertEquals(List.of("org-legacy"), orgs("feed"));
        assertEquals(List.of("org-legacy"), orgs("indicator"));
        assertEquals(List.of("org-legacy"), orgs("sighting"));
    }

    @Test
    void withoutALegacyOrganisationTheMigrationStops() throws SQLException {
        FlywayException refused = assertThrows(FlywayException.class, () -> flyway("unset").load().migrate());
        assertTrue(refused.getMessage().contains("set bulwark.relay.legacy-organisation"), refused.getMessage());
        assertEquals(List.of(), orgs("feed"));
    }

    private org.flywaydb.core.api.configuration.FluentConfiguration flyway(String legacyOrganisation) {
        return Flyway.configure().dataSource(dataSource).schemas(schema).createSchemas(true)
                .locations("filesystem:src/main/resources/db/migration")
                .placeholders(Map.of("legacy_organisation", legacyOrganisation));
    }

    /** The organisations of a table's rows; empty when the table has no organisation column yet. */
    private List<String> orgs(String table) throws SQLException {
        try (Connection c = dataSource.getConnection(); Statement s = c.createStatement()) {
            try (ResultSet column = s.executeQuery("select 1 from information_schema.columns where table_schema = '"
                    + schema + "' and table_name = '" + table + "' and column_name = 'org_id'")) {
                if (!column.next()) {
                    return List.of();
                }
            }
            List<String> orgs = new ArrayList<>();
            try (ResultSet rows = s.executeQuery("select org_id from " + schema + "." + table)) {
                while (rows.next()) {
                    orgs.add(rows.getString(1));
                }
            }
            return orgs;
        }
    }
}
