package dev.bulwark.dispatcher.grc.domain;

import java.util.Set;

/**
 * The CISO Assistant collections the handlers touch, with the filters the API accepts on each. The API ignores
 * unknown query parameters, which would silently widen a match, so any other selector key is refused.
 */
public enum GrcCollection {

    APPLIED_CONTROLS("applied-controls", Set.of("name", "category", "csf_function", "priority", "effort",
            "control_impact", "filtering_labels", "risk_scenarios", "requirement_assessments", "evidences", "assets",
            "owner", "ref_id", "folder", "status", "eta", "eta__exact", "eta__lte", "eta__gte", "eta__lt", "eta__gt")),
    REQUIREMENT_ASSESSMENTS("requirement-assessments", Set.of("folder", "folder__name", "evidences",
            "compliance_assessment", "applied_controls", "requirement__urn", "result", "extended_result",
            "compliance_assessment__ref_id", "compliance_assessment__perimeter",
            "compliance_assessment__assets__ref_id", "requirement__assessable")),
    EVIDENCES("evidences", Set.of("folder", "applied_controls", "requirement_assessments", "name",
            "filtering_labels", "owner", "status", "expiry_date"));

    private final String path;
    private final Set<String> filters;

    GrcCollection(String path, Set<String> filters) {
        this.path = path;
        this.filters = filters;
    }

    public String path() {
        return path;
    }

    public Set<String> filters() {
        return filters;
    }
}
