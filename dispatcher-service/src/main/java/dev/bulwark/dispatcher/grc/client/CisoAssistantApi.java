package dev.bulwark.dispatcher.grc.client;

import com.fasterxml.jackson.databind.JsonNode;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.HeaderParam;
import jakarta.ws.rs.PATCH;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import java.util.Map;
import org.jboss.resteasy.reactive.RestQuery;

/** The CISO Assistant REST calls the GRC handlers make; paths end with a slash as Django's router wants. */
@Produces(MediaType.APPLICATION_JSON)
public interface CisoAssistantApi {

    @GET
    @Path("/{collection}/")
    JsonNode search(@PathParam("collection") String collection, @RestQuery Map<String, String> filters);

    @GET
    @Path("/{collection}/{id}/")
    JsonNode get(@PathParam("collection") String collection, @PathParam("id") String id);

    @PATCH
    @Path("/{collection}/{id}/")
    @Consumes(MediaType.APPLICATION_JSON)
    JsonNode patch(@PathParam("collection") String collection, @PathParam("id") String id, JsonNode values);

    @POST
    @Path("/evidences/")
    @Consumes(MediaType.APPLICATION_JSON)
    JsonNode createEvidence(JsonNode evidence);

    @POST
    @Path("/evidences/{id}/upload/")
    @Consumes(MediaType.APPLICATION_OCTET_STREAM)
    void upload(@PathParam("id") String evidenceId, @HeaderParam("Content-Disposition") String disposition,
                byte[] content);
}
