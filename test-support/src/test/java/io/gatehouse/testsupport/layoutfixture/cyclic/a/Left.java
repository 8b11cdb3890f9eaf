package io.gatehouse.testsupport.layoutfixture.cyclic.a;

import io.gatehouse.testsupport.layoutfixture.cyclic.b.Right;

/** Fixture for LayoutRulesTest: {@code a} uses {@code b}, which uses {@code a}. */
public final class Left {

    public Right right() {
        return new Right();
    }
}
