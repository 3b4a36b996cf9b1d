package org.wharf.deploy.plan;

/** The steps of a deployment on a host, by the names StepStarted and StepFinished carry. */
public enum Step {
    CONNECT("connect"),
    FETCH("fetch"),
    LINK_SHARED("link-shared"),
    BUILD("build"),
    BACKUP("backup"),
    MIGRATE("migrate"),
    SWITCH("switch"),
    RESTART("restart"),
    HEALTH("health"),
    PRUNE("prune"),
    /** After a failure past the switch: the release before is put back, restarted and checked. */
    SWITCH_BACK("switch-back"),
    RESTART_AGAIN("restart-again"),
    HEALTH_AGAIN("health-again");

    private final String label;

    Step(String label) {
        this.label = label;
    }

    public String label() {
        return label;
    }

    /** Steps up to the switch leave the live release untouched when they fail. */
    public boolean beforeSwitch() {
        return ordinal() < SWITCH.ordinal();
    }
}
