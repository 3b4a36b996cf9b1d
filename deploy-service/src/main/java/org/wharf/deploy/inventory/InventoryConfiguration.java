package org.wharf.deploy.inventory;

import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.context.annotation.Configuration;

/** The inventory, bound and checked at start. */
@Configuration(proxyBeanMethods = false)
@EnableConfigurationProperties(DeployInventory.class)
public class InventoryConfiguration {
}
