package dev.bulwark.backbone.client.domain;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

/** The publish-rights check must agree with how the topic exchange routes. */
class TopicPatternTest {

    @ParameterizedTest
    @CsvSource({
        "a.b.c, a.b.c, true",
        "a.*.c, a.b.c, true",
        "a.*.c, a.c, false",
        "a.*, a.b.c, false",
        "a.#, a, true",
        "a.#, a.b.c.d, true",
        "#, a.b, true",
        "#.c, a.b.c, true",
        "#.c, c, true",
        "a.#.d, a.d, true",
        "a.#.d, a.b.c.d, true",
        "a.#.d, a.b.c.e, false",
        "*.*, a, false",
        "a.b, a.b.c, false",
        "p.*.car.#.send.*, p.op.car.v1.v2.send.status, true",
    })
    void matchesLikeAnAmqpTopicExchange(String pattern, String topic, boolean expected) {
        assertEquals(expected, TopicPattern.matches(pattern, topic), pattern + " vs " + topic);
    }

    @ParameterizedTest
    @ValueSource(strings = {"a", "a.b", "project.operator.vehicleType.vehicleId.send.messageType", "x-1.y_2.z:3"})
    void concreteTopicsAreValid(String topic) {
        assertNull(TopicPattern.topicProblem(topic));
    }

    @ParameterizedTest
    @ValueSource(strings = {"", "a..b", ".a", "a.", "a.*", "a.#", "a b", "a/b"})
    void malformedTopicsAreRefused(String topic) {
        assertNotNull(TopicPattern.topicProblem(topic));
    }

    @ParameterizedTest
    @ValueSource(strings = {"#", "*", "a.*.b", "a.#", "#.a.*"})
    void patternsMayUseWildcards(String pattern) {
        assertNull(TopicPattern.patternProblem(pattern));
    }

    @ParameterizedTest
    @ValueSource(strings = {"a*", "a.b#", "a..#", ""})
    void wildcardsOnlyStandForWholeWords(String pattern) {
        assertNotNull(TopicPattern.patternProblem(pattern));
    }
}
