package io.gatehouse.testsupport.layoutfixture.cyclic.b;

import io.gatehouse.testsupport.layoutfixture.cyclic.a.Left;

/** Fixture for LayoutRulesTest: the way back from {@code b} to {@code a}. */
public final class Right {

    public Left left() {
        return new Left();
    }
}
