package io.gatehouse.testsupport.layoutfixture.acyclic.b;

/** Fixture for LayoutRulesTest: used by {@code a}, uses nothing. */
public final class Lower {
}
