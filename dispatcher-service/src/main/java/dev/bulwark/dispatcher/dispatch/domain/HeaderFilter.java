package dev.bulwark.dispatcher.dispatch.domain;

import jakarta.ws.rs.client.ClientRequestContext;
import jakarta.ws.rs.client.ClientRequestFilter;
import java.util.function.Supplier;

/** Sets one header on every request of a REST client, its value computed per request (tokens get renewed). */
public final class HeaderFilter implements ClientRequestFilter {

    private final String name;
    private final Supplier<String> value;

    public HeaderFilter(String name, Supplier<String> value) {
        this.name = name;
        this.value = value;
    }

    @Override
    public void filter(ClientRequestContext request) {
        request.getHeaders().putSingle(name, value.get());
    }
}
