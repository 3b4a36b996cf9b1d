package org.wharf.otherfixture;

/** A boundary-test fixture: a class of another module. */
public class Elsewhere {
}
