package dev.bulwark.orchestrator.tester.domain;

/**
 * One problem a tester found.
 *
 * @param kind     stable machine name of the check that failed, e.g. {@code missing-csp}
 * @param severity how bad it is
 * @param title    one line for a human
 * @param location the URL or host:port where it was observed
 * @param evidence what the tester saw that proves it (a header, a snippet of the response, a certificate date)
 */
public record Finding(String kind, Severity severity, String title, String location, String evidence) {

    public enum Severity { HIGH, MEDIUM, LOW, INFO }
}
