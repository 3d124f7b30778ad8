package dev.bulwark.orchestrator.feedback.api;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.bulwark.orchestrator.feedback.messaging.FeedbackEvent;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The JSON of recent feedback events, rendered once and shared by every SSE client that sends the same event
 * (a live event reaches all followers of its stream at nearly the same time).
 */
@ApplicationScoped
public class RenderedEvents {

    private static final int CAPACITY = 4096;

    private final ObjectMapper mapper;
    private final Map<String, String> recent = new LinkedHashMap<>(CAPACITY * 2, 0.75f) {
        @Override
        protected boolean removeEldestEntry(Map.Entry<String, String> eldest) {
            return size() > CAPACITY;
        }
    };

    RenderedEvents(ObjectMapper mapper) {
        this.mapper = mapper;
    }

    public String json(FeedbackEvent event) {
        String key = event.run() + '/' + event.tester() + '/' + event.id();
        synchronized (recent) {
            String json = recent.get(key);
            if (json != null) {
                return json;
            }
        }
        String json = render(event);
        synchronized (recent) {
            recent.put(key, json);
        }
        return json;
    }

    private String render(FeedbackEvent event) {
        try {
            return mapper.writeValueAsString(event);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("Cannot serialise feedback event " + event.id(), e);
        }
    }
}
