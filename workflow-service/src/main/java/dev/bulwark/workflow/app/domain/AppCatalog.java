package dev.bulwark.workflow.app.domain;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.bulwark.common.error.Conflict;
import dev.bulwark.common.error.Invalid;
import dev.bulwark.common.error.NotFound;
import dev.bulwark.workflow.credential.domain.Credential;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.transaction.Transactional;
import java.io.UncheckedIOException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;

/** The apps an organisation can use: the built-in ones and those it added. */
@ApplicationScoped
public class AppCatalog {

    private final ObjectMapper json;

    AppCatalog(ObjectMapper json) {
        this.json = json;
    }

    public List<AppDefinition> list(UUID orgId) {
        List<AppDefinition> apps = new ArrayList<>(List.of(BuiltinApps.HTTP_APP, BuiltinApps.TOOLS_APP,
                BuiltinApps.SUBFLOW_APP));
        App.<App>list("orgId = ?1 order by name, createdAt", orgId).forEach(a -> apps.add(definition(a)));
        return apps;
    }

    /**
     * The app of that name: a built-in one, or the organisation's app in that version ({@code null}: its most
     * recent version, for documents saved before versions were pinned).
     */
    public Optional<AppDefinition> find(UUID orgId, String name, String version) {
        AppDefinition builtin = BuiltinApps.ALL.get(name);
        if (builtin != null) {
            return Optional.of(builtin);
        }
        if (version != null) {
            return App.<App>find("orgId = ?1 and name = ?2 and version = ?3", orgId, name, version)
                    .firstResultOptional().map(this::definition);
        }
        return App.<App>find("orgId = ?1 and name = ?2 order by createdAt desc", orgId, name)
                .firstResultOptional().map(this::definition);
    }

    /** An added app by id, if it still exists. */
    public Optional<AppDefinition> byId(UUID orgId, UUID id) {
        return App.<App>findByIdOptional(id).filter(a -> a.orgId.equals(orgId)).map(this::definition);
    }

    public AppDefinition get(UUID orgId, UUID id) {
        return App.<App>findByIdOptional(id).filter(a -> a.orgId.equals(orgId)).map(this::definition)
                .orElseThrow(() -> new NotFound("app", id));
    }

    /**
     * Stores a container or OpenAPI app; its name may not shadow a built-in app, its version may not exist. A
     * version that changes where the app's credentials go (server URL, authentication, image, network) needs an admin, and
     * so does re-creating an app whose credentials still exist: credentials are an admin's to direct.
     */
    @Transactional
    public AppDefinition add(UUID orgId, AppDefinition app, boolean byAdmin) {
        if (BuiltinApps.ALL.containsKey(app.name())) {
            throw new Conflict("'" + app.name() + "' is a built-in app");
        }
        if (App.count("orgId = ?1 and name = ?2 and version = ?3", orgId, app.name(), app.version()) > 0) {
            throw new Conflict("App '" + app.name() + "' version " + app.version() + " exists already");
        }
        if (!byAdmin) {
            Optional<AppDefinition> latest = find(orgId, app.name(), null);
            if (latest.isPresent() && !sameDestination(latest.get(), app)) {
                throw new AdminRequired("A new version of app '" + app.name() + "' that changes its "
                        + changed(latest.get(), app) + " needs the admin role");
            }
            if (latest.isEmpty() && Credential.count("orgId = ?1 and app = ?2", orgId, app.name()) > 0) {
                throw new AdminRequired("App '" + app.name() + "' has credentials: adding it again needs the admin role");
            }
        }
        Set<String> names = new HashSet<>();
        for (ActionSpec action : app.actions()) {
            if (!names.add(action.name())) {
                throw new Invalid("Action '" + action.name() + "' is defined twice");
            }
        }
        App entity = new App();
        entity.id = UUID.randomUUID();
        entity.orgId = orgId;
        entity.name = app.name();
        entity.version = app.version();
        entity.kind = app.kind();
        entity.createdAt = Instant.now();
        AppDefinition stored = new AppDefinition(entity.id, app.name(), app.version(), app.kind(), app.description(),
                app.image(), app.network(), app.serverUrl(), app.authentication(), app.actions());
        entity.definition = write(stored);
        entity.persist();
        return stored;
    }

    private static boolean sameDestination(AppDefinition a, AppDefinition b) {
        return changed(a, b).isEmpty();
    }

    private static String changed(AppDefinition before, AppDefinition after) {
        List<String> changed = new ArrayList<>();
        if (!Objects.equals(before.kind(), after.kind())) {
            changed.add("kind");
        }
        if (!Objects.equals(before.serverUrl(), after.serverUrl())) {
            changed.add("server URL");
        }
        if (!Objects.equals(before.authentication(), after.authentication())) {
            changed.add("authentication");
        }
        if (!Objects.equals(before.image(), after.image())) {
            changed.add("image");
        }
        if (!Objects.equals(Boolean.TRUE.equals(before.network()), Boolean.TRUE.equals(after.network()))) {
            changed.add("network");
        }
        return String.join(", ", changed);
    }

    @Transactional
    public void delete(UUID orgId, UUID id) {
        App app = App.<App>findByIdOptional(id).filter(a -> a.orgId.equals(orgId))
                .orElseThrow(() -> new NotFound("app", id));
        app.delete();
    }

    private AppDefinition definition(App app) {
        try {
            return json.readValue(app.definition, AppDefinition.class);
        } catch (JsonProcessingException e) {
            throw new UncheckedIOException(e);
        }
    }

    private String write(AppDefinition app) {
        try {
            return json.writeValueAsString(app);
        } catch (JsonProcessingException e) {
            throw new UncheckedIOException(e);
        }
    }
}
