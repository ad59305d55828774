package dev.slipway.submission.tenant;

import dev.slipway.rest.access.BearerToken;
import dev.slipway.rest.problems.ProblemException;
import dev.slipway.submission.config.SubmissionConfig;
import jakarta.enterprise.context.ApplicationScoped;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;

/** Resolves {@code Authorization: Bearer <token>} to the tenant whose configured API token it is. */
@ApplicationScoped
public class TenantDirectory {

    /** Tenant names end up in cluster specs, labels and logs. */
    private static final Pattern NAME = Pattern.compile("[a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?");

    private record Entry(byte[] token, Tenant tenant) {
    }

    private final List<Entry> entries = new ArrayList<>();

    public TenantDirectory(SubmissionConfig config) {
        for (Map.Entry<String, SubmissionConfig.TenantConfig> tenant : config.tenants().entrySet()) {
            String name = tenant.getKey();
            SubmissionConfig.TenantConfig settings = tenant.getValue();
            if (!NAME.matcher(name).matches()) {
                throw new IllegalArgumentException("tenant name '" + name + "' must be a DNS label (lower-case letters, digits, '-')");
            }
            if (settings.token().length() < 16) {
                throw new IllegalArgumentException("the API token of tenant " + name + " must have at least 16 characters");
            }
            entries.add(new Entry(settings.token().getBytes(StandardCharsets.UTF_8),
                    new Tenant(name, settings.maxClusters(), settings.maxTaskManagers())));
        }
    }

    /** 401 without a bearer token or with one no tenant has. */
    public Tenant require(String authorization) {
        byte[] presented = BearerToken.of(authorization)
                .orElseThrow(() -> new ProblemException(401, "Missing API token", "send 'Authorization: Bearer <your tenant's API token>'"))
                .getBytes(StandardCharsets.UTF_8);
        Tenant found = null;
        for (Entry entry : entries) {
            // Every entry is compared, in constant time, so the answer's timing tells nothing about the tokens.
            if (MessageDigest.isEqual(entry.token(), presented)) {
                found = entry.tenant();
            }
        }
        if (found == null) {
            throw new ProblemException(401, "Unknown API token", "the bearer token is not the API token of any tenant");
        }
        return found;
    }
}
