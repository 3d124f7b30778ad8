package dev.bulwark.dispatcher.suite.client;

import com.fasterxml.jackson.databind.JsonNode;
import dev.bulwark.dispatcher.config.DispatcherConfig;
import dev.bulwark.dispatcher.dispatch.domain.HeaderFilter;
import dev.bulwark.dispatcher.dispatch.domain.RetryableFailure;
import dev.bulwark.dispatcher.dispatch.domain.TargetGuards;
import io.quarkus.rest.client.reactive.QuarkusRestClientBuilder;
import io.smallrye.faulttolerance.api.Guard;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.ws.rs.WebApplicationException;
import jakarta.ws.rs.core.HttpHeaders;
import java.net.URI;
import java.util.concurrent.Callable;
import java.util.concurrent.TimeUnit;

/**
 * Calls to workflow-service, backbone and relay with the dispatcher's bearer token, each target behind its own
 * circuit breaker. A 401 drops the token and is retried: the issuer may have rotated keys or revoked it.
 */
@ApplicationScoped
public class SuiteGateway {

    private final ServiceTokens tokens;
    private final SuiteApis.Workflows workflows;
    private final SuiteApis.Backbone backbone;
    private final SuiteApis.Relay relay;
    private final Guard workflowGuard;
    private final Guard backboneGuard;
    private final Guard relayGuard;

    SuiteGateway(DispatcherConfig config, ServiceTokens tokens) {
        this.tokens = tokens;
        DispatcherConfig.Suite suite = config.suite();
        this.workflows = client(suite, suite.workflowUrl(), SuiteApis.Workflows.class);
        this.backbone = client(suite, suite.backboneUrl(), SuiteApis.Backbone.class);
        this.relay = client(suite, suite.relayUrl(), SuiteApis.Relay.class);
        this.workflowGuard = TargetGuards.circuitBreaker("workflow-service", config.circuitBreaker());
        this.backboneGuard = TargetGuards.circuitBreaker("backbone-service", config.circuitBreaker());
        this.relayGuard = TargetGuards.circuitBreaker("relay-service", config.circuitBreaker());
    }

    public JsonNode execute(String workflowId, JsonNode request) throws Exception {
        return call(workflowGuard, () -> workflows.execute(workflowId, request));
    }

    public JsonNode hook(String hookId, String secret, JsonNode argument) throws Exception {
        return call(workflowGuard, () -> workflows.hook(hookId, secret, argument));
    }

    public JsonNode send(JsonNode message) throws Exception {
        return call(backboneGuard, () -> backbone.send(message));
    }

    public JsonNode observe(JsonNode observables) throws Exception {
        return call(relayGuard, () -> relay.observe(observables));
    }

    private JsonNode call(Guard guard, Callable<JsonNode> request) throws Exception {
        tokens.authorization();
        try {
            return guard.call(request, JsonNode.class);
        } catch (WebApplicationException e) {
            if (e.getResponse().getStatus() == 401) {
                tokens.invalidate();
                throw new RetryableFailure("The target refused the dispatcher's token (401)", null, e);
            }
            throw e;
        }
    }

    private <T> T client(DispatcherConfig.Suite suite, URI base, Class<T> api) {
        return QuarkusRestClientBuilder.newBuilder()
                .baseUri(base)
                .connectTimeout(suite.connectTimeout().toMillis(), TimeUnit.MILLISECONDS)
                .readTimeout(suite.readTimeout().toMillis(), TimeUnit.MILLISECONDS)
                .register(new HeaderFilter(HttpHeaders.AUTHORIZATION, tokens::authorization))
                .build(api);
    }
}
