// SPDX-License-Identifier: MIT
pragma solidity ^0.8.28;

import {BlsFfi} from "./base/BlsFfi.sol";
import {BN254} from "../src/BN254.sol";

/// @notice Exposes the library to external calls so reverts can be expected.
contract BN254Harness {
    function hashToG1(bytes32 m) external view returns (uint256[2] memory) {
        return BN254.hashToG1(m);
    }

    function verify(bytes32 m, uint256[2] memory a1, uint256[4] memory a2, uint256[2] memory s)
        external
        view
        returns (bool)
    {
        return BN254.verify(m, a1, a2, s);
    }
}

/// @notice The BN254 library against noble-curves.
contract BN254Test is BlsFfi {
    BN254Harness h;

    function setUp() public {
        h = new BN254Harness();
    }

    function test_generatorsMatchNoble() public {
        BlsKey memory one = blsKey(1);
        assertEq(one.g1[0], 1);
        assertEq(one.g1[1], 2);
        uint256[4] memory g2 = BN254.g2();
        for (uint256 i = 0; i < 4; i++) {
            assertEq(one.g2[i], g2[i]);
        }
    }

    function test_hashToG1MatchesNoble() public {
        bytes32[6] memory ms = [
            bytes32(0),
            bytes32(uint256(0xabcdee)),
            keccak256("zarathustra"),
            bytes32(type(uint256).max),
            bytes32(BN254.P - 1),
            bytes32(BN254.P)
        ];
        for (uint256 i = 0; i < ms.length; i++) {
            uint256[2] memory a = h.hashToG1(ms[i]);
            uint256[2] memory b = blsHash(ms[i]);
            assertEq(a[0], b[0]);
            assertEq(a[1], b[1]);
            assertTrue(BN254.isOnCurveG1(a), "hash not on curve");
        }
    }

    function testFuzz_hashToG1MatchesNoble(bytes32 m) public {
        uint256[2] memory a = h.hashToG1(m);
        uint256[2] memory b = blsHash(m);
        assertEq(a[0], b[0]);
        assertEq(a[1], b[1]);
    }

    function test_aggregateSignatureVerifies() public {
        bytes32 m = keccak256("a result digest");
        uint256[] memory sks = new uint256[](3);
        sks[0] = blsSecret("op0");
        sks[1] = blsSecret("op1");
        sks[2] = blsSecret("op2");
        (uint256[2] memory a1, uint256[4] memory a2) = blsApk(sks);
        uint256[2] memory sig = blsSign(m, sks);
        assertTrue(h.verify(m, a1, a2, sig), "valid aggregate rejected");
        assertTrue(blsVerifyNoble(m, sig, a1, a2), "noble disagrees");
        // wrong message, wrong key, signature of a subset
        assertFalse(h.verify(keccak256("other"), a1, a2, sig));
        uint256[] memory two = new uint256[](2);
        two[0] = sks[0];
        two[1] = sks[1];
        assertFalse(h.verify(m, a1, a2, blsSign(m, two)));
        (uint256[2] memory b1, uint256[4] memory b2) = blsApk(two);
        assertFalse(h.verify(m, b1, a2, sig));
        assertFalse(h.verify(m, a1, b2, sig));
        // G1 and G2 keys of different secrets: the γ check catches the mismatch
        assertFalse(h.verify(m, b1, a2, blsSign(m, two)));
    }

    function test_verifyRevertsOnPointOffCurve() public {
        bytes32 m = keccak256("m");
        BlsKey memory k = blsKey(blsSecret("k"));
        uint256[2] memory sig = blsSign1(m, k.sk);
        sig[1] = sig[1] ^ 1;
        vm.expectRevert(BN254.PrecompileFailed.selector);
        h.verify(m, k.g1, k.g2, sig);
    }

    function test_verifyRevertsOnG2OffCurve() public {
        bytes32 m = keccak256("m");
        BlsKey memory k = blsKey(blsSecret("k"));
        uint256[2] memory sig = blsSign1(m, k.sk);
        uint256[4] memory bad = k.g2;
        bad[0] = bad[1]; // swapped limbs: not on the twist
        vm.expectRevert(BN254.PrecompileFailed.selector);
        h.verify(m, k.g1, bad, sig);
    }
}
