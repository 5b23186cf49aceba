// SPDX-License-Identifier: MIT
pragma solidity ^0.8.28;

import {ZaraFixture} from "./base/ZaraFixture.sol";
import {ModelSubmission} from "../src/ModelSubmission.sol";
import {FeeToken, Reenterer, Refuser} from "./mocks/HostileReceivers.sol";

/// @notice Hostile tokens and receivers: fee-on-transfer bonds, re-entrant and refusing
///         withdrawers.
contract HostileTest is ZaraFixture {
    uint256 taskId;

    function setUp() public {
        deployAll();
        registerEqual(3);
        taskId = createEthTask();
    }

    function test_feeOnTransferPoolCountsWhatArrivedAndBondMustArriveWhole() public {
        FeeToken ft = new FeeToken();
        ft.mint(owner, 100 ether);
        vm.prank(owner);
        ft.approve(address(ms), type(uint256).max);
        ModelSubmission.TaskParams memory p = taskParams(address(ft), 10 ether);
        vm.prank(owner);
        uint256 tid = ms.createTask(p);
        assertEq(uint256(ms.getTask(tid).rewardPool), 9.9 ether);
        assertEq(ft.balanceOf(address(ms)), 9.9 ether);
        ft.mint(optimizer, 1 ether);
        vm.prank(optimizer);
        ft.approve(address(ms), type(uint256).max);
        vm.prank(optimizer);
        vm.expectRevert(ModelSubmission.BondNotReceived.selector);
        ms.commit{value: 0.01 ether}(tid, bytes32(uint256(1)));
    }

    function _submitFrom(address who, uint256 id0) internal returns (uint256 id) {
        bytes32 salt = "r";
        bytes32 c = keccak256(abi.encode(taskId, who, keccak256(bytes("bafkreir")), salt));
        if (id0 == 0) {
            id = Reenterer(payable(who)).commit{value: 0.11 ether}(taskId, c);
            vm.roll(block.number + 1);
            Reenterer(payable(who)).reveal(id, "bafkreir", salt);
        } else {
            id = Refuser(who).commit{value: 0.11 ether}(ms, taskId, c);
            vm.roll(block.number + 1);
            Refuser(who).reveal(ms, id, "bafkreir", salt);
        }
        vm.roll(block.number + SEED_DELAY + 1);
    }

    function test_reentrantWithdrawGetsNothingTwice() public {
        Reenterer r = new Reenterer(ms, ac);
        uint256 id = _submitFrom(address(r), 0);
        verdict(resultFor(id, 2, 0, 0)); // EVAL_ERROR: bond refunded
        assertEq(ms.claimable(address(0), address(r)), 0.1 ether);
        r.pull();
        assertTrue(r.reentered());
        assertTrue(r.reentryFailed());
        assertEq(address(r).balance, 0.1 ether);
        assertEq(ms.claimable(address(0), address(r)), 0);
    }

    function test_refusingReceiverKeepsItsClaim() public {
        Refuser rf = new Refuser();
        vm.deal(address(rf), 1 ether);
        uint256 id = _submitFrom(address(rf), 1);
        verdict(resultFor(id, 2, 0, 0));
        vm.expectRevert(ModelSubmission.TransferFailed.selector);
        rf.pull(ms);
        assertEq(ms.claimable(address(0), address(rf)), 0.1 ether);
    }
}
