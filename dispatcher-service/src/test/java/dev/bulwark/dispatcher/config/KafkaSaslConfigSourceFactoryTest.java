package dev.bulwark.dispatcher.config;

import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.equalTo;

import org.junit.jupiter.api.Test;

class KafkaSaslConfigSourceFactoryTest {

    @Test
    void scramMechanismsUseTheScramLoginModule() {
        assertThat(KafkaSaslConfigSourceFactory.jaas("SCRAM-SHA-512", "dispatcher", "p\"w"), equalTo(
                "org.apache.kafka.common.security.scram.ScramLoginModule required username=\"dispatcher\" "
                        + "password=\"p\\\"w\";"));
    }

    @Test
    void plainUsesThePlainLoginModule() {
        assertThat(KafkaSaslConfigSourceFactory.jaas("PLAIN", "u", "p"), equalTo(
                "org.apache.kafka.common.security.plain.PlainLoginModule required username=\"u\" password=\"p\";"));
    }
}
