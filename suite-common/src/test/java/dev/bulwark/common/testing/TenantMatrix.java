package dev.bulwark.common.testing;

import static io.restassured.RestAssured.given;

import dev.bulwark.common.security.Roles;
import io.restassured.config.HttpClientConfig;
import io.restassured.config.RestAssuredConfig;
import io.restassured.path.json.JsonPath;
import io.restassured.response.Response;
import io.restassured.specification.RequestSpecification;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.function.BiFunction;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The tenant-and-role matrix of one service, generated from its own OpenAPI document ({@code /q/openapi}): for
 * every operation it calls the service (a) without a token → 401, (b) with every suite role of organisation A → 403
 * for a role the operation does not document, anything but 401/403 for one it does, and (c) as organisation B, with
 * an allowed role, on organisation A's object ids → the same answer as for ids that exist nowhere, never a success.
 * The roles an operation allows are the scopes of its security requirement, which Quarkus derives from
 * {@code @RolesAllowed}; an operation without one must be listed as public, so a new endpoint without a rule fails
 * the build. Operations are called in path order with DELETE last, so fixtures survive until the end.
 */
public final class TenantMatrix {

    private static final Pattern PARAMETER = Pattern.compile("\\{([^}]+)}");
    /** An operation that does not answer within this time fails the matrix instead of hanging it. */
    private static final RestAssuredConfig BOUNDED = RestAssuredConfig.config().httpClient(HttpClientConfig
            .httpClientConfig().setParam("http.socket.timeout", 60_000).setParam("http.connection.timeout", 10_000));

    private final Set<String> roles;
    private final Set<String> publicOperations;
    private final Map<String, String> idsOfA;
    private final BiFunction<String, String, String> token;
    private final String orgA;
    private final String orgB;
    private Set<String> notCalledWhenAllowed = Set.of();
    private final Map<String, Map<String, String>> idsOfAByPath = new LinkedHashMap<>();
    private boolean everyIdOfA;

    /** Every role of the suite: the roles each service's matrix tries. */
    public static final Set<String> SUITE_ROLES = Set.of(Roles.ADMIN, Roles.USER, Roles.READER, Roles.WORKER,
            Roles.DISPATCHER, Roles.BACKBONE_CLIENT, Roles.RELAY_CLIENT);

    /**
     * The matrix of a service whose operations hold no organisation's objects: every suite role, test tokens, no
     * public operation.
     */
    public static TenantMatrix rolesOnly() {
        return new TenantMatrix(SUITE_ROLES, Set.of(), Map.of(),
                (org, role) -> TestTokens.builder().org(org).roles(role).build(), "matrix-org-a", "matrix-org-b");
    }

    /**
     * @param roles            every role to try (the suite's roles this service knows)
     * @param publicOperations operations open without a token, as {@code "GET /path/{id}"}
     * @param idsOfA           path parameter name → an id of one of organisation A's objects
     * @param token            (organisation, role) → a valid token of that organisation with that one role
     */
    public TenantMatrix(Set<String> roles, Set<String> publicOperations, Map<String, String> idsOfA,
                        BiFunction<String, String, String> token, String orgA, String orgB) {
        this.roles = roles;
        this.publicOperations = publicOperations;
        this.idsOfA = idsOfA;
        this.token = token;
        this.orgA = orgA;
        this.orgB = orgB;
    }

    /**
     * Operations checked without a token, with forbidden roles and as organisation B, but not called with an allowed
     * role of A: those that stream or wait (SSE, long polls) and would not answer, and those that would destroy the
     * fixtures the rest of the matrix uses (rotating a secret revokes the tokens in use).
     */
    public TenantMatrix notCalledWhenAllowed(Set<String> operations) {
        this.notCalledWhenAllowed = operations;
        return this;
    }

    /**
     * Ids of organisation A's objects for the paths under {@code pathPrefix} (the longest matching prefix wins over
     * shorter ones and over the constructor's ids), for services whose paths share a parameter name such as
     * {@code {id}} across kinds of object: each path then gets an object of its own kind.
     */
    public TenantMatrix idsOfA(String pathPrefix, Map<String, String> ids) {
        idsOfAByPath.put(pathPrefix, ids);
        return this;
    }

    /** Every path parameter of a protected operation must have an id of A: none is filled with a random id. */
    public TenantMatrix requireEveryIdOfA() {
        this.everyIdOfA = true;
        return this;
    }

    /** One operation of the document, with the roles it allows ({@code null}: public; empty: any valid token). */
    public record Operation(String method, String path, Set<String> allowedRoles) {
        String name() {
            return method + " " + path;
        }
    }

    /** Runs the matrix; returns every violation found (empty when the service keeps its documented rules). */
    public List<String> violations() {
        List<String> violations = new ArrayList<>();
        List<Operation> operations = operations();
        if (operations.stream().noneMatch(operation -> operation.allowedRoles() != null)) {
            violations.add("the OpenAPI document lists no protected operation: the matrix would check nothing");
        }
        for (Operation operation : operations) {
            if (operation.allowedRoles() == null) {
                if (!publicOperations.contains(operation.name())) {
                    violations.add(operation.name() + ": no security requirement in the OpenAPI document and not"
                            + " declared public");
                }
                continue;
            }
            check(operation, violations);
        }
        return violations;
    }

    /** The operations of the service's OpenAPI document, DELETE last. */
    public List<Operation> operations() {
        JsonPath document = given().queryParam("format", "json").get("/q/openapi").then().statusCode(200)
                .extract().jsonPath();
        Map<String, Map<String, Object>> paths = document.getMap("paths");
        List<Operation> operations = new ArrayList<>();
        paths.forEach((path, methods) -> methods.forEach((method, value) -> {
            if (!(value instanceof Map<?, ?> operation) || !Set.of("get", "post", "put", "patch", "delete")
                    .contains(method)) {
                return;
            }
            operations.add(new Operation(method.toUpperCase(), path, allowedRoles(operation.get("security"))));
        }));
        operations.sort(Comparator.comparing((Operation o) -> o.method().equals("DELETE"))
                .thenComparing(Operation::path).thenComparing(Operation::method));
        return operations;
    }

    private static Set<String> allowedRoles(Object security) {
        if (!(security instanceof List<?> requirements) || requirements.isEmpty()) {
            return null;
        }
        Set<String> allowed = new LinkedHashSet<>();
        for (Object requirement : requirements) {
            if (requirement instanceof Map<?, ?> schemes) {
                schemes.values().forEach(scopes -> {
                    if (scopes instanceof List<?> list) {
                        list.forEach(scope -> allowed.add(scope.toString()));
                    }
                });
            }
        }
        return allowed;
    }

    private void check(Operation operation, List<String> violations) {
        String ownPath = fill(operation.path(), true);
        int anonymous = call(given().config(BOUNDED), operation, ownPath).statusCode();
        if (anonymous != 401) {
            violations.add(operation.name() + " without a token answered " + anonymous + ", not 401");
        }
        boolean hasIds = PARAMETER.matcher(operation.path()).find();
        if (everyIdOfA) {
            Matcher parameters = PARAMETER.matcher(operation.path());
            while (parameters.find()) {
                if (!idsOf(operation.path()).containsKey(parameters.group(1))) {
                    violations.add(operation.name() + ": no id of organisation A for {" + parameters.group(1) + "}");
                }
            }
        }
        if (hasIds) {
            String allowedRole = operation.allowedRoles().stream().filter(roles::contains).findFirst()
                    .orElse(roles.iterator().next());
            RequestSpecification asB = given().config(BOUNDED).auth().oauth2(token.apply(orgB, allowedRole));
            int onA = call(asB, operation, ownPath).statusCode();
            int onNothing = call(given().config(BOUNDED).auth().oauth2(token.apply(orgB, allowedRole)), operation,
                    fill(operation.path(), false)).statusCode();
            if (onA / 100 == 2 || onA != onNothing) {
                violations.add(operation.name() + " as organisation B (" + allowedRole + ") on A's ids answered "
                        + onA + " (on unknown ids " + onNothing + "): B must not reach or detect A's objects");
            }
        }
        for (String role : roles) {
            boolean allowed = operation.allowedRoles().isEmpty() || operation.allowedRoles().contains(role);
            if (allowed && (operation.method().equals("DELETE") || notCalledWhenAllowed.contains(operation.name()))) {
                continue;
            }
            int status = call(given().config(BOUNDED).auth().oauth2(token.apply(orgA, role)), operation, ownPath)
                    .statusCode();
            if (!allowed && status != 403) {
                violations.add(operation.name() + " as " + role + " (not documented) answered " + status + ", not 403");
            } else if (allowed && (status == 401 || status == 403)) {
                violations.add(operation.name() + " as " + role + " (documented) answered " + status);
            }
        }
    }

    private String fill(String path, boolean own) {
        Matcher matcher = PARAMETER.matcher(path);
        StringBuilder filled = new StringBuilder();
        while (matcher.find()) {
            String id = own ? idsOf(path).getOrDefault(matcher.group(1), UUID.randomUUID().toString())
                    : UUID.randomUUID().toString();
            matcher.appendReplacement(filled, Matcher.quoteReplacement(id));
        }
        matcher.appendTail(filled);
        return filled.toString();
    }

    private Map<String, String> idsOf(String path) {
        Map<String, String> ids = new LinkedHashMap<>(idsOfA);
        idsOfAByPath.entrySet().stream()
                .filter(entry -> path.startsWith(entry.getKey()))
                .sorted(Comparator.comparing(entry -> entry.getKey().length()))
                .forEach(entry -> ids.putAll(entry.getValue()));
        return ids;
    }

    private static Response call(RequestSpecification request, Operation operation, String path) {
        if (!operation.method().equals("GET") && !operation.method().equals("DELETE")) {
            request = request.contentType("application/json").body("{}");
        }
        return request.when().request(operation.method(), path);
    }
}
