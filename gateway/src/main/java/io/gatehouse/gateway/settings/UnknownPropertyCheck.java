package io.gatehouse.gateway.settings;

import java.io.IOException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.apache.commons.logging.Log;
import org.jspecify.annotations.Nullable;
import org.springframework.boot.SpringApplication;
import org.springframework.boot.context.properties.source.ConfigurationProperty;
import org.springframework.boot.context.properties.source.ConfigurationPropertyName;
import org.springframework.boot.context.properties.source.ConfigurationPropertySource;
import org.springframework.boot.context.properties.source.ConfigurationPropertySources;
import org.springframework.boot.context.properties.source.IterableConfigurationPropertySource;
import org.springframework.boot.env.EnvironmentPostProcessor;
import org.springframework.boot.logging.DeferredLogFactory;
import org.springframework.boot.origin.Origin;
import org.springframework.boot.origin.PropertySourceOrigin;
import org.springframework.boot.origin.TextResourceOrigin;
import org.springframework.core.Ordered;
import org.springframework.core.env.CommandLinePropertySource;
import org.springframework.core.env.ConfigurableEnvironment;
import org.springframework.core.env.PropertySource;
import org.springframework.core.env.SystemEnvironmentPropertySource;
import org.springframework.core.io.Resource;

/**
 * Stops startup when a {@code gatehouse.*} key in any property source is not one the gateway reads
 * ({@link KnownProperties}). Spring ignores a key nobody reads, so {@code gatehouse.oidc.isuer-uri} would leave
 * browser login silently off; here it fails with the key, its origin (file:line:column, environment variable or
 * command line) and the nearest known key. With {@code gatehouse.strict-properties=false} each unknown key is
 * logged as a warning instead. Runs after application.yml and the other config files are loaded, before any bean.
 *
 * <p>A few environment variables of Gatehouse's own launch scripts start with {@code GATEHOUSE_} without being
 * properties ({@link #LAUNCHER_VARIABLES}); they are not keys and are skipped, as is {@code GATEHOUSE_VERIFIER_*},
 * the settings of the verifier library in the applications behind the gateway.
 */
public final class UnknownPropertyCheck implements EnvironmentPostProcessor, Ordered {

    static final String STRICT = "gatehouse.strict-properties";
    static final Set<String> LAUNCHER_VARIABLES = Set.of("GATEHOUSE_JAVA_OPTS", "GATEHOUSE_STACK_ENV",
            "GATEHOUSE_CACHE");
    static final String VERIFIER_VARIABLES = "GATEHOUSE_VERIFIER_";

    private final Log log;

    public UnknownPropertyCheck(DeferredLogFactory logs) {
        this.log = logs.getLog(UnknownPropertyCheck.class);
    }

    @Override
    public void postProcessEnvironment(ConfigurableEnvironment environment, SpringApplication application) {
        if (!isGateway(application)) {
            return;
        }
        ClassLoader loader = application.getClassLoader() != null ? application.getClassLoader()
                : UnknownPropertyCheck.class.getClassLoader();
        List<UnknownProperty> unknown = find(environment, KnownProperties.fromClasspath(loader));
        if (unknown.isEmpty()) {
            return;
        }
        if (environment.getProperty(STRICT, Boolean.class, true)) {
            throw new UnknownPropertiesException(unknown);
        }
        for (UnknownProperty property : unknown) {
            log.warn("unknown gatehouse.* property, ignored (" + STRICT + "=false): " + property.describe());
        }
    }

    /** Each unknown {@code gatehouse.*} key once per property source, in the environment's order. */
    static List<UnknownProperty> find(ConfigurableEnvironment environment, KnownProperties known) {
        Map<String, UnknownProperty> unknown = new LinkedHashMap<>();
        for (ConfigurationPropertySource source : ConfigurationPropertySources.get(environment)) {
            if (!(source instanceof IterableConfigurationPropertySource iterable)) {
                continue;
            }
            boolean variables = source.getUnderlyingSource() instanceof SystemEnvironmentPropertySource;
            KnownProperties.Source kind = variables ? KnownProperties.Source.ENVIRONMENT_VARIABLE
                    : KnownProperties.Source.FILE_OR_ARGUMENT;
            iterable.stream().filter(KnownProperties.ROOT::isAncestorOf).filter(name -> !known.isKnown(name, kind))
                    .forEach(name -> {
                        UnknownProperty property = describe(source, name, known, kind);
                        if (property != null) {
                            unknown.putIfAbsent(property.key() + '\0' + property.origin(), property);
                        }
                    });
        }
        return new ArrayList<>(unknown.values());
    }

    private static @Nullable UnknownProperty describe(ConfigurationPropertySource source, ConfigurationPropertyName name,
                                                      KnownProperties known, KnownProperties.Source kind) {
        ConfigurationProperty property = source.getConfigurationProperty(name);
        Origin origin = property == null ? null : property.getOrigin();
        String written = name.toString();
        Origin location = origin;
        if (origin instanceof PropertySourceOrigin fromSource) {
            written = fromSource.getPropertyName();
            location = fromSource.getOrigin();
        }
        String suggestion = known.suggest(name, kind).orElse(null);
        if (kind == KnownProperties.Source.ENVIRONMENT_VARIABLE) {
            if (LAUNCHER_VARIABLES.contains(written) || written.startsWith(VERIFIER_VARIABLES)) {
                return null;
            }
            return new UnknownProperty(written, "environment variable",
                    suggestion == null ? null : variableName(suggestion) + " (" + suggestion + ")");
        }
        Object underlying = source.getUnderlyingSource();
        if (underlying instanceof CommandLinePropertySource<?>) {
            return new UnknownProperty(written, "command line", suggestion);
        }
        return new UnknownProperty(written, where(location, underlying), suggestion);
    }

    /** {@code /etc/gatehouse/application.yml:12:5}, or what Spring knows of the source. */
    private static String where(@Nullable Origin origin, Object underlying) {
        if (origin instanceof TextResourceOrigin text && text.getLocation() != null) {
            return resourceName(text.getResource()) + ":" + (text.getLocation().getLine() + 1) + ":"
                    + (text.getLocation().getColumn() + 1);
        }
        if (origin != null) {
            return origin.toString();
        }
        return underlying instanceof PropertySource<?> named ? "property source " + named.getName()
                : String.valueOf(underlying);
    }

    private static String resourceName(@Nullable Resource resource) {
        if (resource == null) {
            return "unknown file";
        }
        try {
            return resource.isFile() ? resource.getFile().getPath() : resource.getDescription();
        } catch (IOException e) {
            return resource.getDescription();
        }
    }

    /** {@code gatehouse.bearer.issuers[0].issuer-uri} → {@code GATEHOUSE_BEARER_ISSUERS_0_ISSUERURI} */
    static String variableName(String key) {
        return key.replace("-", "").replace("[", "_").replace("]", "").replace('.', '_')
                .toUpperCase(java.util.Locale.ROOT);
    }

    /** The check is on the gateway's classpath only, but a test may start some other app in the same JVM. */
    private static boolean isGateway(SpringApplication application) {
        return application.getAllSources().stream()
                .anyMatch(s -> s instanceof Class<?> c && c.getName().startsWith("io.gatehouse.gateway"));
    }

    @Override
    public int getOrder() {
        // After config data (application.yml, spring.config.*) and the origin-aware environment variables.
        return Ordered.LOWEST_PRECEDENCE - 10;
    }
}
