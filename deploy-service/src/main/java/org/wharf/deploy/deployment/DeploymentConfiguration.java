package org.wharf.deploy.deployment;

import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.context.annotation.Configuration;

/** The settings deployments run with ({@code wharf.deploy.forks}, {@code step-timeout}, …). */
@Configuration(proxyBeanMethods = false)
@EnableConfigurationProperties(DeploySettings.class)
public class DeploymentConfiguration {
}
