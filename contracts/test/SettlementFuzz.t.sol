// SPDX-License-Identifier: MIT
pragma solidity ^0.8.28;

import {ZaraTest} from "./base/ZaraTest.sol";
import {ModelSubmission} from "../src/ModelSubmission.sol";
import {EvalResult} from "../src/ZaraTypes.sol";

/// @notice Fuzzes the settlement arithmetic of ModelSubmission on its own: this contract
///         stands in for AvsLogic and the AttestationCenter (their checks are tested elsewhere),
///         so any verdict can be applied directly.
contract SettlementFuzzTest is ZaraTest {
    ModelSubmission ms;
    address owner = address(0xA11CE);
    address optimizer = address(0xB0B);

    receive() external payable {}

    function setUp() public {
        ms = new ModelSubmission(2, 10, 50);
        ms.initialize(address(this), address(this));
        vm.deal(owner, type(uint128).max);
        vm.deal(optimizer, type(uint128).max);
        vm.roll(100);
        vm.warp(1_700_000_000);
    }

    struct In {
        uint96 pool;
        uint96 rpi;
        uint96 bond;
        uint64 fee;
        uint16 slashBps;
        int128 minImp;
        uint8 status;
        int96 challenger;
        int96 incumbent;
    }

    /// forge-config: default.fuzz.runs = 1000
    function testFuzz_settlement(In memory x) public {
        x.slashBps = uint16(bound(x.slashBps, 0, 10_000));
        x.status = uint8(bound(x.status, 0, 2));
        x.minImp = int128(int256(bound(uint256(uint128(x.minImp)), 0, 1e24)));
        // scores strictly inside ±9e27 (the contract rejects the rest, tested elsewhere)
        x.challenger = int96(int256(x.challenger) % 9e27);
        x.incumbent = int96(int256(x.incumbent) % 9e27);
        (uint256 tid, uint256 id) = _submit(x);
        (, bytes32 seed,,, uint256 f) = ms.prepareVerdict(id);
        assertEq(f, x.fee);
        EvalResult memory r =
            EvalResult(tid, id, 0, seed, x.status, x.challenger, x.incumbent, bytes32(0));
        ms.settle(r);
        _check(x, tid, id);
        // settles once
        vm.expectRevert(ModelSubmission.NotRevealed.selector);
        ms.settle(r);
        // the operators' fee can be released exactly
        uint256 before = address(this).balance;
        ms.releaseOperatorFees(x.fee);
        assertEq(address(this).balance - before, x.fee);
    }

    function _submit(In memory x) internal returns (uint256 tid, uint256 id) {
        ModelSubmission.TaskParams memory p;
        p.rewardPool = x.pool;
        p.rewardPerImprovement = x.rpi;
        p.evaluationFee = x.fee;
        p.bond = x.bond;
        p.slashBps = x.slashBps;
        p.minImprovement = x.minImp;
        p.deadline = uint64(block.timestamp + 1 days);
        p.archCid = "a";
        p.initCid = "i";
        p.evalCid = "e";
        vm.prank(owner);
        tid = ms.createTask{value: x.pool}(p);
        bytes32 c = keccak256(abi.encode(tid, optimizer, keccak256(bytes("x")), bytes32(0)));
        vm.prank(optimizer);
        id = ms.commit{value: uint256(x.bond) + x.fee}(tid, c);
        vm.roll(block.number + 1);
        vm.prank(optimizer);
        ms.reveal(id, "x", bytes32(0));
        vm.roll(block.number + 3);
    }

    function _check(In memory x, uint256 tid, uint256 id) internal view {
        uint256 reward;
        uint256 kept;
        bool accepted = x.status == 0 && int256(x.challenger) - int256(x.incumbent) >= x.minImp;
        if (accepted) reward = x.rpi < x.pool ? x.rpi : x.pool;
        else if (x.status == 0) kept = uint256(x.bond) * x.slashBps / 10_000;
        else if (x.status == 1) kept = x.bond;
        ModelSubmission.Task memory t = ms.getTask(tid);
        assertEq(uint256(t.rewardPool), uint256(x.pool) - reward + kept, "pool");
        assertEq(ms.claimable(address(0), optimizer), reward + x.bond - kept, "optimizer");
        assertEq(uint256(t.bestId), accepted ? id : 0);
        if (accepted) assertEq(int256(t.bestScore), int256(x.challenger));
        // every wei is owed: pool + optimizer's claim + the operators' fee
        assertEq(
            address(ms).balance,
            uint256(t.rewardPool) + ms.claimable(address(0), optimizer) + x.fee,
            "conservation"
        );
    }

    function bound(uint256 x, uint256 lo, uint256 hi) internal pure returns (uint256) {
        return lo + x % (hi - lo + 1);
    }
}
