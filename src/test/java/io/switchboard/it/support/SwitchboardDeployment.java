package io.switchboard.it.support;

import java.io.File;
import org.eu.ingwar.tools.arquillian.extension.suite.annotations.ArquillianSuiteDeployment;
import org.jboss.arquillian.container.test.api.Deployment;
import org.jboss.shrinkwrap.api.ShrinkWrap;
import org.jboss.shrinkwrap.api.importer.ZipImporter;
import org.jboss.shrinkwrap.api.spec.WebArchive;

/**
 * The one deployment of the integration suite: the packaged WAR, unchanged, at the root context.
 * Payara Micro starts once for every {@code *IT} that extends {@link ServerIT}.
 */
@ArquillianSuiteDeployment
public class SwitchboardDeployment {

  @Deployment(testable = false)
  public static WebArchive switchboard() {
    File war = new File(System.getProperty("switchboard.war", "target/switchboard.war"));
    return ShrinkWrap.create(ZipImporter.class, "ROOT.war").importFrom(war).as(WebArchive.class);
  }
}
