package dev.bulwark.dispatcher.grc.domain;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.binaryEqualTo;
import static com.github.tomakehurst.wiremock.client.WireMock.containing;
import static com.github.tomakehurst.wiremock.client.WireMock.equalTo;
import static com.github.tomakehurst.wiremock.client.WireMock.equalToJson;
import static com.github.tomakehurst.wiremock.client.WireMock.get;
import static com.github.tomakehurst.wiremock.client.WireMock.getRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.okJson;
import static com.github.tomakehurst.wiremock.client.WireMock.patch;
import static com.github.tomakehurst.wiremock.client.WireMock.patchRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.post;
import static com.github.tomakehurst.wiremock.client.WireMock.postRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.urlEqualTo;
import static com.github.tomakehurst.wiremock.client.WireMock.urlPathEqualTo;
import static dev.bulwark.dispatcher.testing.Fixtures.PATIENCE;
import static dev.bulwark.dispatcher.testing.Fixtures.awaitErrors;
import static dev.bulwark.dispatcher.testing.Fixtures.ciso;
import static dev.bulwark.dispatcher.testing.Fixtures.config;
import static dev.bulwark.dispatcher.testing.Fixtures.send;
import static dev.bulwark.dispatcher.testing.Fixtures.unique;
import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.allOf;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.is;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.github.tomakehurst.wiremock.client.WireMock;
import dev.bulwark.dispatcher.testing.DispatcherTestResources;
import dev.bulwark.dispatcher.testing.Samples;
import io.quarkus.test.common.TestResourceScope;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import java.net.URI;
import java.util.Base64;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.core.checksums.RequestChecksumCalculation;
import software.amazon.awssdk.core.checksums.ResponseChecksumValidation;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.core.sync.RequestBody;
import software.amazon.awssdk.http.urlconnection.UrlConnectionHttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.s3.S3Client;

/** Each example message of the CISO Assistant dispatcher README produces the HTTP calls the upstream makes. */
@QuarkusTest
@WithTestResource(value = DispatcherTestResources.class, scope = TestResourceScope.GLOBAL)
class GrcHandlersTest {

    private static final String AUTH = "Token test-pat";
    private static final ObjectMapper MAPPER = new ObjectMapper();
    private static final byte[] JPEG = Base64.getDecoder().decode("/9j/4AAQSkZJRgABAQEASABIAAD/2wBDAP8=");

    @Test
    void updateAppliedControlSearchesThenPatchesTheMatch() {
        String ref = unique("ref");
        String id = unique("ac");
        WireMock api = ciso();
        api.register(get(urlPathEqualTo("/api/applied-controls/")).withQueryParam("ref_id", equalTo(ref))
                .willReturn(okJson("{\"count\":1,\"next\":null,\"results\":[{\"id\":\"" + id + "\"}]}")));
        api.register(patch(urlEqualTo("/api/applied-controls/" + id + "/")).willReturn(okJson("{\"id\":\"" + id + "\"}")));

        send(ref, Samples.read("update_applied_control").replace("\"foo\"", "\"" + ref + "\""));

        await().atMost(PATIENCE).untilAsserted(() -> api.verifyThat(1,
                patchRequestedFor(urlEqualTo("/api/applied-controls/" + id + "/"))
                        .withHeader("Authorization", equalTo(AUTH))
                        .withRequestBody(equalToJson("{\"priority\":\"1\"}"))));
        api.verifyThat(1, getRequestedFor(urlEqualTo("/api/applied-controls/?ref_id=" + ref))
                .withHeader("Authorization", equalTo(AUTH)));
    }

    @Test
    void updateRequirementAssessmentSearchesThenPatchesTheMatch() {
        String assessment = unique("ISO");
        String id = unique("ra");
        WireMock api = ciso();
        api.register(get(urlPathEqualTo("/api/requirement-assessments/"))
                .withQueryParam("compliance_assessment__ref_id", equalTo(assessment))
                .withQueryParam("requirement__urn", equalTo("urn:intuitem:risk:req_node:iso27001-2022:a.5.1"))
                .willReturn(okJson("{\"count\":1,\"next\":null,\"results\":[{\"id\":\"" + id + "\"}]}")));
        api.register(patch(urlEqualTo("/api/requirement-assessments/" + id + "/")).willReturn(okJson("{}")));

        send(assessment, Samples.read("update_requirement_assessment").replace("ISO_001", assessment));

        await().atMost(PATIENCE).untilAsserted(() -> api.verifyThat(1,
                patchRequestedFor(urlEqualTo("/api/requirement-assessments/" + id + "/"))
                        .withHeader("Authorization", equalTo(AUTH))
                        .withRequestBody(equalToJson("{\"result\":\"compliant\"}"))));
    }

    @Test
    void multipleTargetFollowsEveryPageAndPatchesEachMatch() {
        String folder = unique("folder");
        WireMock api = ciso();
        String base = config("bulwark.dispatcher.grc.api-url");
        api.register(get(urlEqualTo("/api/applied-controls/?folder=" + folder)).willReturn(okJson(
                "{\"count\":2,\"next\":\"" + base + "/applied-controls/?folder=" + folder + "&limit=1&offset=1\","
                        + "\"results\":[{\"id\":\"" + folder + "-1\"}]}")));
        api.register(get(urlPathEqualTo("/api/applied-controls/")).withQueryParam("folder", equalTo(folder))
                .withQueryParam("offset", equalTo("1"))
                .willReturn(okJson("{\"count\":2,\"next\":null,\"results\":[{\"id\":\"" + folder + "-2\"}]}")));
        api.register(patch(urlPathEqualTo("/api/applied-controls/" + folder + "-1/")).willReturn(okJson("{}")));
        api.register(patch(urlPathEqualTo("/api/applied-controls/" + folder + "-2/")).willReturn(okJson("{}")));

        send(folder, "{\"message_type\":\"update_applied_control\",\"selector\":{\"folder\":\"" + folder
                + "\",\"target\":\"multiple\"},\"values\":{\"status\":\"active\"}}");

        await().atMost(PATIENCE).untilAsserted(() -> {
            api.verifyThat(1, patchRequestedFor(urlEqualTo("/api/applied-controls/" + folder + "-1/"))
                    .withRequestBody(equalToJson("{\"status\":\"active\"}")));
            api.verifyThat(1, patchRequestedFor(urlEqualTo("/api/applied-controls/" + folder + "-2/"))
                    .withRequestBody(equalToJson("{\"status\":\"active\"}")));
        });
    }

    @Test
    void uploadAttachmentFromBase64UploadsToTheEvidenceAndAttachesItToTheControl() {
        String evidenceName = unique("Sample evidence");
        String ref = unique("ref");
        String evidence = unique("ev");
        String control = unique("ac");
        WireMock api = ciso();
        stubEvidenceAndControl(api, evidenceName, evidence, ref, control);

        send(ref, Samples.read("upload_attachment_base64").replace("Sample evidence", evidenceName)
                .replace("\"foo\"", "\"" + ref + "\""));

        await().atMost(PATIENCE).untilAsserted(() -> api.verifyThat(1,
                patchRequestedFor(urlEqualTo("/api/applied-controls/" + control + "/"))
                        .withHeader("Authorization", equalTo(AUTH))
                        .withRequestBody(equalToJson("{\"evidences\":[\"existing\",\"" + evidence + "\"]}"))));
        api.verifyThat(1, postRequestedFor(urlEqualTo("/api/evidences/" + evidence + "/upload/"))
                .withHeader("Authorization", equalTo(AUTH))
                .withHeader("Content-Disposition", equalTo("attachment; filename=sample.jpeg"))
                .withRequestBody(binaryEqualTo(JPEG)));
        api.verifyThat(1, getRequestedFor(urlEqualTo("/api/applied-controls/" + control + "/")));
    }

    /** The README's S3 example against the S3 server deploy/local/infra.sh starts, in its bucket, with its keys. */
    @Test
    void uploadAttachmentFromS3ReadsTheObjectFromTheBucket() {
        String evidenceName = unique("Sample evidence");
        String ref = unique("ref");
        String evidence = unique("ev");
        String control = unique("ac");
        String bucket = config("bulwark.dispatcher.s3.buckets");
        String key = unique("sample") + ".jpeg";
        byte[] content = ("evidence from S3 " + key).getBytes();
        try (S3Client s3 = s3()) {
            s3.putObject(p -> p.bucket(bucket).key(key).contentType("image/jpeg"), RequestBody.fromBytes(content));
        }
        WireMock api = ciso();
        stubEvidenceAndControl(api, evidenceName, evidence, ref, control);

        send(ref, Samples.read("upload_attachment_s3").replace("Sample evidence", evidenceName)
                .replace("\"foo\"", "\"" + ref + "\"").replace("my-bucket", bucket)
                .replace("\"file_s3_key\": \"sample.jpeg\"", "\"file_s3_key\": \"" + key + "\""));

        await().atMost(PATIENCE).untilAsserted(() -> api.verifyThat(1,
                patchRequestedFor(urlEqualTo("/api/applied-controls/" + control + "/"))
                        .withRequestBody(equalToJson("{\"evidences\":[\"existing\",\"" + evidence + "\"]}"))));
        api.verifyThat(1, postRequestedFor(urlEqualTo("/api/evidences/" + evidence + "/upload/"))
                .withRequestBody(binaryEqualTo(content)));
    }

    @Test
    void uploadAttachmentFromABucketNotConfiguredIsDeadLetteredUnread() throws Exception {
        String bucket = unique("other-bucket");
        String key = unique("secret") + ".pdf";
        try (S3Client s3 = s3()) {
            s3.createBucket(b -> b.bucket(bucket));
            s3.putObject(p -> p.bucket(bucket).key(key), RequestBody.fromBytes("not for CISO".getBytes()));
        }

        send(key, s3Upload(bucket, key));

        JsonNode letter = MAPPER.readTree(awaitErrors(key, 1).get(0).value());
        assertThat(letter.get("error").asText(), allOf(containsString("Bucket " + bucket),
                containsString("bulwark.dispatcher.s3.buckets")));
        assertThat(letter.get("attempts").asInt(), is(1));
        ciso().verifyThat(0, postRequestedFor(urlEqualTo("/api/evidences/")).withRequestBody(containing(key)));
    }

    @Test
    void uploadAttachmentOverTheSizeLimitIsDeadLetteredUnread() throws Exception {
        String bucket = config("bulwark.dispatcher.s3.buckets");
        String key = unique("large") + ".bin";
        try (S3Client s3 = s3()) {
            s3.putObject(p -> p.bucket(bucket).key(key),
                    RequestBody.fromBytes(new byte[DispatcherTestResources.S3_MAX_OBJECT_SIZE + 1]));
        }

        send(key, s3Upload(bucket, key));

        JsonNode letter = MAPPER.readTree(awaitErrors(key, 1).get(0).value());
        assertThat(letter.get("error").asText(), allOf(containsString("S3 object " + key),
                containsString("bulwark.dispatcher.s3.max-object-size")));
        ciso().verifyThat(0, postRequestedFor(urlEqualTo("/api/evidences/")).withRequestBody(containing(key)));
    }

    private static String s3Upload(String bucket, String key) {
        return "{\"message_type\":\"upload_attachment\",\"values\":{\"file_name\":\"" + key
                + "\",\"file_s3_bucket\":\"" + bucket + "\",\"file_s3_key\":\"" + key + "\"}}";
    }

    /** A client of the tests' S3 server with the dispatcher's own keys. */
    private static S3Client s3() {
        return S3Client.builder()
                .endpointOverride(URI.create(config("bulwark.dispatcher.s3.endpoint")))
                .forcePathStyle(true)
                .requestChecksumCalculation(RequestChecksumCalculation.WHEN_REQUIRED)
                .responseChecksumValidation(ResponseChecksumValidation.WHEN_REQUIRED)
                .region(Region.US_EAST_1)
                .credentialsProvider(StaticCredentialsProvider.create(AwsBasicCredentials.create(
                        config("bulwark.dispatcher.s3.access-key"), config("bulwark.dispatcher.s3.secret-key"))))
                .httpClientBuilder(UrlConnectionHttpClient.builder())
                .build();
    }

    @Test
    void uploadAttachmentWithoutSelectorCreatesTheEvidence() {
        String fileName = unique("quarterly report") + ".pdf";
        String evidence = unique("ev");
        WireMock api = ciso();
        api.register(post(urlEqualTo("/api/evidences/")).withRequestBody(equalToJson("{\"name\":\"" + fileName + "\"}"))
                .willReturn(aResponse().withStatus(201).withHeader("Content-Type", "application/json")
                        .withBody("{\"id\":\"" + evidence + "\",\"name\":\"" + fileName + "\"}")));
        api.register(post(urlEqualTo("/api/evidences/" + evidence + "/upload/")).willReturn(okJson("{}")));

        send(evidence, "{\"message_type\":\"upload_attachment\",\"selector\":{},\"values\":{\"file_name\":\""
                + fileName + "\",\"file_content\":\"" + Base64.getEncoder().encodeToString("report".getBytes())
                + "\"}}");

        await().atMost(PATIENCE).untilAsserted(() -> api.verifyThat(1,
                postRequestedFor(urlEqualTo("/api/evidences/" + evidence + "/upload/"))
                        .withHeader("Content-Disposition",
                                equalTo("attachment; filename=" + fileName.replace(" ", "%20")))
                        .withRequestBody(binaryEqualTo("report".getBytes()))));
        api.verifyThat(1, postRequestedFor(urlEqualTo("/api/evidences/")).withHeader("Authorization", equalTo(AUTH))
                .withRequestBody(equalToJson("{\"name\":\"" + fileName + "\"}")));
    }

    private static void stubEvidenceAndControl(WireMock api, String evidenceName, String evidence, String ref,
                                               String control) {
        api.register(get(urlPathEqualTo("/api/evidences/")).withQueryParam("name", equalTo(evidenceName))
                .willReturn(okJson("{\"count\":1,\"next\":null,\"results\":[{\"id\":\"" + evidence + "\"}]}")));
        api.register(post(urlEqualTo("/api/evidences/" + evidence + "/upload/")).willReturn(okJson("{}")));
        api.register(get(urlPathEqualTo("/api/applied-controls/")).withQueryParam("ref_id", equalTo(ref))
                .willReturn(okJson("{\"count\":1,\"next\":null,\"results\":[{\"id\":\"" + control + "\"}]}")));
        api.register(get(urlEqualTo("/api/applied-controls/" + control + "/"))
                .willReturn(okJson("{\"id\":\"" + control + "\",\"evidences\":[{\"id\":\"existing\",\"str\":\"old\"}]}")));
        api.register(patch(urlEqualTo("/api/applied-controls/" + control + "/")).willReturn(okJson("{}")));
    }
}
