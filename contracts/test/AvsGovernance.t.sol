// SPDX-License-Identifier: MIT
pragma solidity ^0.8.28;

import {ZaraFixture} from "./base/ZaraFixture.sol";
import {AvsGovernance} from "../src/AvsGovernance.sol";
import {BN254} from "../src/BN254.sol";

/// @notice Registration (keys, proof of possession), top-up, exit, the active set's sums.
contract AvsGovernanceTest is ZaraFixture {
    address alice = address(0xA1);

    function setUp() public {
        deployAll();
        vm.deal(alice, 100 ether);
    }

    function _keyAndPop(address who, string memory label)
        internal
        returns (BlsKey memory k, uint256[2] memory pop)
    {
        k = blsKey(blsSecret(label));
        pop = blsSign1(gov.popMessage(who), k.sk);
    }

    function test_popMessageEncoding() public view {
        assertEq(gov.popMessage(alice), keccak256(abi.encode(alice, block.chainid, address(gov))));
    }

    function test_registerKeepsAggregateAndTotal() public {
        registerEqual(3);
        (uint256 x, uint256 y, uint256 total, uint256 count) = gov.quorumState();
        uint256[] memory sks = new uint256[](3);
        for (uint256 i = 0; i < 3; i++) {
            sks[i] = ops[i].sk;
        }
        (uint256[2] memory apk,) = blsApk(sks);
        assertEq(x, apk[0]);
        assertEq(y, apk[1]);
        assertEq(total, 3 ether);
        assertEq(count, 3);
        AvsGovernance.Operator memory o = gov.operatorInfo(ops[1].addr);
        assertEq(o.endpoint, "http://op1");
        assertTrue(o.aggregator);
        assertEq(o.id, ops[1].id);
        assertEq(gov.operatorById(ops[1].id), ops[1].addr);
        assertEq(ac.operatorIdOf(ops[1].addr), ops[1].id);
        // the aggregate follows exits: remove op 1
        vm.prank(ops[1].addr);
        gov.requestExit();
        sks[1] = sks[2];
        uint256[] memory two = new uint256[](2);
        two[0] = sks[0];
        two[1] = sks[1];
        (apk,) = blsApk(two);
        (x, y, total, count) = gov.quorumState();
        assertEq(x, apk[0]);
        assertEq(y, apk[1]);
        assertEq(total, 2 ether);
        assertEq(count, 2);
        assertEq(gov.activeOperators().length, 2);
        // everyone gone: the aggregate is the point at infinity
        vm.prank(ops[0].addr);
        gov.requestExit();
        vm.prank(ops[2].addr);
        gov.requestExit();
        (x, y, total, count) = gov.quorumState();
        assertEq(x, 0);
        assertEq(y, 0);
        assertEq(total + count, 0);
    }

    function test_registerRejectsBadProofOfPossession() public {
        (BlsKey memory k, uint256[2] memory pop) = _keyAndPop(alice, "alice");
        // a proof made for another address
        uint256[2] memory other = blsSign1(gov.popMessage(address(0xB2)), k.sk);
        vm.prank(alice);
        vm.expectRevert(AvsGovernance.BadProofOfPossession.selector);
        gov.register{value: 1 ether}(k.g1, k.g2, other, "http://a", false);
        // a G2 key of another secret (rogue key): the γ check fails
        BlsKey memory k2 = blsKey(blsSecret("mallory"));
        vm.prank(alice);
        vm.expectRevert(AvsGovernance.BadProofOfPossession.selector);
        gov.register{value: 1 ether}(k.g1, k2.g2, pop, "http://a", false);
        vm.prank(alice);
        gov.register{value: 1 ether}(k.g1, k.g2, pop, "http://a", false);
        assertTrue(gov.isActive(alice));
    }

    function test_registerRejectsBadInputs() public {
        (BlsKey memory k, uint256[2] memory pop) = _keyAndPop(alice, "alice");
        vm.prank(alice);
        vm.expectRevert(AvsGovernance.StakeTooLow.selector);
        gov.register{value: 1 ether - 1}(k.g1, k.g2, pop, "http://a", false);
        uint256[2] memory off = [k.g1[0], k.g1[1] ^ 1];
        vm.prank(alice);
        vm.expectRevert(AvsGovernance.BadPublicKey.selector);
        gov.register{value: 1 ether}(off, k.g2, pop, "http://a", false);
        bytes memory long = new bytes(257);
        vm.prank(alice);
        vm.expectRevert(AvsGovernance.EndpointTooLong.selector);
        gov.register{value: 1 ether}(k.g1, k.g2, pop, string(long), false);
        vm.prank(alice);
        gov.register{value: 1 ether}(k.g1, k.g2, pop, "http://a", false);
        vm.prank(alice);
        vm.expectRevert(AvsGovernance.AlreadyRegistered.selector);
        gov.register{value: 1 ether}(k.g1, k.g2, pop, "http://a", false);
        // the same key cannot be registered by someone else
        address bob = address(0xB0);
        vm.deal(bob, 10 ether);
        uint256[2] memory bobPop = blsSign1(gov.popMessage(bob), k.sk);
        vm.prank(bob);
        vm.expectRevert(AvsGovernance.KeyAlreadyUsed.selector);
        gov.register{value: 1 ether}(k.g1, k.g2, bobPop, "http://b", false);
    }

    function test_topUpAndEndpoint() public {
        registerEqual(1);
        address a = ops[0].addr;
        vm.prank(a);
        gov.topUp{value: 2 ether}();
        assertEq(gov.totalActiveStake(), 3 ether);
        (uint256 stake,,) = ac.account(ops[0].id);
        assertEq(stake, 3 ether);
        vm.prank(a);
        gov.setEndpoint("https://new", false);
        assertEq(gov.operatorInfo(a).endpoint, "https://new");
        assertFalse(gov.operatorInfo(a).aggregator);
        vm.prank(alice);
        vm.expectRevert(AvsGovernance.NotActive.selector);
        gov.topUp{value: 1 ether}();
    }

    function test_exitWithDelay() public {
        registerEqual(2);
        address a = ops[0].addr;
        vm.prank(a);
        vm.expectRevert(AvsGovernance.NotExiting.selector);
        gov.completeExit();
        vm.prank(a);
        gov.requestExit();
        uint256 at = block.number + EXIT_DELAY;
        assertEq(uint256(gov.operatorInfo(a).exitableAt), at);
        (uint256 stake,,) = ac.account(ops[0].id);
        assertEq(stake, 0);
        vm.roll(at - 1);
        vm.prank(a);
        vm.expectRevert(AvsGovernance.ExitDelayNotOver.selector);
        gov.completeExit();
        vm.roll(at);
        uint256 before = a.balance;
        vm.prank(a);
        gov.completeExit();
        assertEq(a.balance - before, 1 ether);
        assertEq(address(gov).balance, 1 ether);
        vm.prank(a);
        vm.expectRevert(AvsGovernance.NotActive.selector);
        gov.requestExit();
        // the remaining operator moved into the leaver's place in the active list
        assertEq(gov.activeOperatorAt(0), ops[1].addr);
        assertEq(uint256(gov.operatorInfo(ops[1].addr).index), 0);
    }

    function test_reregisterAfterExitWithNewKey() public {
        registerEqual(1);
        address a = ops[0].addr;
        vm.prank(a);
        gov.requestExit();
        vm.roll(block.number + EXIT_DELAY);
        vm.prank(a);
        gov.completeExit();
        (BlsKey memory k, uint256[2] memory pop) = _keyAndPop(a, "fresh");
        vm.prank(a);
        gov.register{value: 1 ether}(k.g1, k.g2, pop, "http://again", true);
        assertTrue(gov.isActive(a));
        assertEq(ac.operatorIdOf(a), keccak256(abi.encode(k.g1[0], k.g1[1])));
    }

    function test_initializeOnce() public {
        vm.expectRevert(AvsGovernance.AlreadyInitialized.selector);
        gov.initialize(address(1));
        vm.prank(alice);
        vm.expectRevert(AvsGovernance.NotDeployer.selector);
        gov.initialize(address(1));
    }
}
