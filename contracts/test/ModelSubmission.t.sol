// SPDX-License-Identifier: MIT
pragma solidity ^0.8.28;

import {ZaraFixture} from "./base/ZaraFixture.sol";
import {ModelSubmission} from "../src/ModelSubmission.sol";
import {EvalResult} from "../src/ZaraTypes.sol";

/// @notice Tasks, commit/reveal windows, seeds, the queue, settlement, expiry, closing.
contract ModelSubmissionTest is ZaraFixture {
    uint256 taskId;

    function setUp() public {
        deployAll();
        registerEqual(3);
        taskId = createEthTask();
    }

    function _commit(address who, uint256 tid, string memory cid, bytes32 salt)
        internal
        returns (uint256 id)
    {
        ModelSubmission.Task memory t = ms.getTask(tid);
        bytes32 c = keccak256(abi.encode(tid, who, keccak256(bytes(cid)), salt));
        vm.prank(who);
        id = ms.commit{value: uint256(t.bond) + t.evaluationFee}(tid, c);
    }

    // ---- tasks ------------------------------------------------------------------------------

    function test_createTaskStoresEverything() public view {
        ModelSubmission.Task memory t = ms.getTask(taskId);
        assertEq(t.owner, owner);
        assertEq(uint256(t.rewardPool), 10 ether);
        assertEq(uint256(t.bond), 0.1 ether);
        assertEq(uint256(t.evaluationFee), 0.01 ether);
        assertEq(uint256(t.slashBps), 2000);
        assertEq(t.archCid, "bafkreiarch");
        assertEq(address(ms).balance, 10 ether);
    }

    function test_createTaskRejectsBadParams() public {
        ModelSubmission.TaskParams memory p = taskParams(address(0), 1 ether);
        p.slashBps = 10_001;
        vm.prank(owner);
        vm.expectRevert(ModelSubmission.BadParams.selector);
        ms.createTask{value: 1 ether}(p);
        p = taskParams(address(0), 1 ether);
        p.minImprovement = -1;
        vm.prank(owner);
        vm.expectRevert(ModelSubmission.BadParams.selector);
        ms.createTask{value: 1 ether}(p);
        p = taskParams(address(0), 1 ether);
        p.deadline = uint64(block.timestamp);
        vm.prank(owner);
        vm.expectRevert(ModelSubmission.BadParams.selector);
        ms.createTask{value: 1 ether}(p);
        p = taskParams(address(0), 1 ether);
        p.archCid = "";
        vm.prank(owner);
        vm.expectRevert(ModelSubmission.BadParams.selector);
        ms.createTask{value: 1 ether}(p);
        p = taskParams(address(0), 1 ether);
        vm.prank(owner);
        vm.expectRevert(ModelSubmission.WrongValue.selector);
        ms.createTask{value: 0.5 ether}(p);
        p = taskParams(address(token), 1 ether);
        vm.prank(owner);
        vm.expectRevert(ModelSubmission.WrongValue.selector);
        ms.createTask{value: 1}(p);
    }

    function test_fundTask() public {
        vm.prank(owner);
        ms.fundTask{value: 2 ether}(taskId, 2 ether);
        assertEq(uint256(ms.getTask(taskId).rewardPool), 12 ether);
        vm.expectRevert(ModelSubmission.NoSuchTask.selector);
        ms.fundTask{value: 1}(99, 1);
    }

    // ---- commit -----------------------------------------------------------------------------

    function test_commitChecksValueAndDeadline() public {
        vm.prank(optimizer);
        vm.expectRevert(ModelSubmission.WrongValue.selector);
        ms.commit{value: 0.1 ether}(taskId, bytes32(uint256(1)));
        vm.expectRevert(ModelSubmission.NoSuchTask.selector);
        ms.commit{value: 0.11 ether}(42, bytes32(uint256(1)));
        vm.warp(ms.getTask(taskId).deadline);
        vm.prank(optimizer);
        vm.expectRevert(ModelSubmission.DeadlinePassed.selector);
        ms.commit{value: 0.11 ether}(taskId, bytes32(uint256(1)));
    }

    function test_commitmentMatchesHelper() public view {
        bytes32 salt = keccak256("s");
        assertEq(
            ms.commitmentOf(taskId, optimizer, "bafkreix", salt),
            keccak256(abi.encode(taskId, optimizer, keccak256(bytes("bafkreix")), salt))
        );
    }

    // ---- reveal windows ---------------------------------------------------------------------

    function test_revealNotInCommitBlock() public {
        uint256 id = _commit(optimizer, taskId, "bafkreia", "s");
        vm.prank(optimizer);
        vm.expectRevert(ModelSubmission.RevealTooEarly.selector);
        ms.reveal(id, "bafkreia", "s");
    }

    function test_revealAtLastBlockOfWindow() public {
        uint256 id = _commit(optimizer, taskId, "bafkreia", "s");
        vm.roll(block.number + REVEAL_WINDOW);
        vm.prank(optimizer);
        ms.reveal(id, "bafkreia", "s");
        ModelSubmission.Submission memory s = ms.getSubmission(id);
        assertEq(uint256(s.state), uint256(ModelSubmission.State.Revealed));
        assertEq(uint256(s.seedBlock), block.number + SEED_DELAY);
    }

    function test_revealOneBlockAfterWindow() public {
        uint256 id = _commit(optimizer, taskId, "bafkreia", "s");
        vm.roll(block.number + REVEAL_WINDOW + 1);
        vm.prank(optimizer);
        vm.expectRevert(ModelSubmission.RevealWindowOver.selector);
        ms.reveal(id, "bafkreia", "s");
    }

    function test_revealChecksCommitmentAndSender() public {
        uint256 id = _commit(optimizer, taskId, "bafkreia", "s");
        vm.roll(block.number + 1);
        vm.prank(optimizer);
        vm.expectRevert(ModelSubmission.BadCommitment.selector);
        ms.reveal(id, "bafkreib", "s");
        vm.prank(optimizer);
        vm.expectRevert(ModelSubmission.BadCommitment.selector);
        ms.reveal(id, "bafkreia", "t");
        vm.prank(owner);
        vm.expectRevert(ModelSubmission.NotOptimizer.selector);
        ms.reveal(id, "bafkreia", "s");
        vm.prank(optimizer);
        ms.reveal(id, "bafkreia", "s");
        vm.prank(optimizer);
        vm.expectRevert(ModelSubmission.NotCommitted.selector);
        ms.reveal(id, "bafkreia", "s");
    }

    /// A copier who replays the revealed CID under its own address cannot reuse the
    /// original commitment: the commitment binds the sender.
    function test_commitmentBindsSender() public {
        address copier = address(0xC0C);
        vm.deal(copier, 1 ether);
        bytes32 c =
            keccak256(abi.encode(taskId, optimizer, keccak256(bytes("bafkreia")), bytes32("s")));
        vm.prank(copier);
        uint256 id = ms.commit{value: 0.11 ether}(taskId, c);
        vm.roll(block.number + 1);
        vm.prank(copier);
        vm.expectRevert(ModelSubmission.BadCommitment.selector);
        ms.reveal(id, "bafkreia", "s");
    }

    // ---- seeds ------------------------------------------------------------------------------

    function test_seedRule() public {
        uint256 id = _commit(optimizer, taskId, "bafkreia", "s");
        vm.roll(block.number + 1);
        vm.prank(optimizer);
        ms.reveal(id, "bafkreia", "s");
        uint256 seedBlock = ms.getSubmission(id).seedBlock;
        vm.roll(seedBlock);
        vm.expectRevert(ModelSubmission.SeedNotReady.selector);
        ms.fixSeed(id);
        vm.roll(seedBlock + 1);
        bytes32 seed = ms.fixSeed(id);
        assertEq(
            seed,
            keccak256(abi.encode(blockhash(seedBlock), block.chainid, address(ms), taskId, id))
        );
        assertEq(ms.getSubmission(id).seed, seed);
        // fixed for good: later calls return the same value, even past 256 blocks
        vm.roll(seedBlock + 1000);
        assertEq(ms.fixSeed(id), seed);
    }

    function test_seedFixableAtLastBlockOfWindow() public {
        uint256 id = submit(taskId);
        uint256 seedBlock = ms.getSubmission(id).seedBlock;
        vm.roll(seedBlock + 256);
        bytes32 seed = ms.fixSeed(id);
        assertTrue(seed != 0);
        assertEq(uint256(ms.getSubmission(id).seedBlock), seedBlock);
    }

    function test_seedRearmedAfterWindow() public {
        uint256 id = submit(taskId);
        uint256 seedBlock = ms.getSubmission(id).seedBlock;
        vm.roll(seedBlock + 257);
        assertEq(ms.fixSeed(id), bytes32(0));
        uint256 rearmed = ms.getSubmission(id).seedBlock;
        assertEq(rearmed, seedBlock + 257 + SEED_DELAY);
        vm.roll(rearmed + 1);
        bytes32 seed = ms.fixSeed(id);
        assertEq(
            seed, keccak256(abi.encode(blockhash(rearmed), block.chainid, address(ms), taskId, id))
        );
    }

    function test_fixSeedNeedsReveal() public {
        uint256 id = _commit(optimizer, taskId, "bafkreia", "s");
        vm.expectRevert(ModelSubmission.NotRevealed.selector);
        ms.fixSeed(id);
    }

    // ---- settlement (driven by real verdicts) -----------------------------------------------

    function test_acceptPaysRewardAndRefundsBond() public {
        uint256 id = submit(taskId);
        verdict(resultFor(id, 0, 3e18, 2e18));
        ModelSubmission.Task memory t = ms.getTask(taskId);
        assertEq(uint256(t.bestId), id);
        assertEq(int256(t.bestScore), 3e18);
        assertEq(uint256(t.rewardPool), 9 ether);
        assertEq(ms.claimable(address(0), optimizer), 1.1 ether);
        assertEq(uint256(t.open), 0);
        assertEq(uint256(t.head), 0);
    }

    function test_rejectKeepsSlashBps() public {
        uint256 id = submit(taskId);
        // improvement one wei below minImprovement
        verdict(resultFor(id, 0, 2e18 + 1e16 - 1, 2e18));
        ModelSubmission.Task memory t = ms.getTask(taskId);
        assertEq(uint256(t.bestId), 0);
        assertEq(uint256(t.rewardPool), 10 ether + 0.02 ether);
        assertEq(ms.claimable(address(0), optimizer), 0.08 ether);
    }

    function test_acceptAtExactlyMinImprovement() public {
        uint256 id = submit(taskId);
        verdict(resultFor(id, 0, 2e18 + 1e16, 2e18));
        assertEq(uint256(ms.getTask(taskId).bestId), id);
    }

    function test_invalidModelKeepsBond() public {
        uint256 id = submit(taskId);
        verdict(resultFor(id, 1, 0, 0));
        assertEq(uint256(ms.getTask(taskId).rewardPool), 10.1 ether);
        assertEq(ms.claimable(address(0), optimizer), 0);
    }

    function test_evalErrorRefundsBond() public {
        uint256 id = submit(taskId);
        verdict(resultFor(id, 2, 0, 0));
        assertEq(uint256(ms.getTask(taskId).rewardPool), 10 ether);
        assertEq(ms.claimable(address(0), optimizer), 0.1 ether);
    }

    function test_rewardCappedByPool() public {
        ModelSubmission.TaskParams memory p = taskParams(address(0), 0.3 ether);
        vm.prank(owner);
        uint256 tid = ms.createTask{value: 0.3 ether}(p);
        uint256 id = submit(tid);
        verdict(resultFor(id, 0, 1e18, 0));
        assertEq(uint256(ms.getTask(tid).rewardPool), 0);
        assertEq(ms.claimable(address(0), optimizer), 0.4 ether);
    }

    function test_bestScoreChainsImprovements() public {
        uint256 a = submit(taskId);
        verdict(resultFor(a, 0, 5e17, 1e17));
        uint256 b = submit(taskId);
        // measured on another seed the new model scores lower in absolute terms, but it beats
        // the incumbent on the same seed: the task's best score still only goes up
        verdict(resultFor(b, 0, 4e17, 3e17));
        ModelSubmission.Task memory t = ms.getTask(taskId);
        assertEq(uint256(t.bestId), b);
        assertEq(int256(t.bestScore), 6e17);
    }

    function test_queueOrderAndStaleIncumbent() public {
        uint256 a = submit(taskId);
        uint256 b = submit(taskId);
        EvalResult memory rb = resultFor(b, 0, 9e18, 0);
        (bytes memory ps, uint256[2] memory sg, uint256[4] memory a2, uint256[2][] memory ns) =
            attest(rb, allActive());
        vm.expectRevert(ModelSubmission.NotQueueHead.selector);
        ac.submitResult(rb, ps, sg, a2, ns);
        verdict(resultFor(a, 0, 1e18, 0));
        // rb names incumbent 0, but a is now the best
        vm.expectRevert(bytes4(keccak256("StaleIncumbent()")));
        ac.submitResult(rb, ps, sg, a2, ns);
        verdict(resultFor(b, 0, 2e18, 1e18));
        assertEq(uint256(ms.getTask(taskId).bestId), b);
    }

    function test_settleOnlyByAvsLogic() public {
        uint256 id = submit(taskId);
        EvalResult memory r = resultFor(id, 0, 1, 0);
        vm.expectRevert(ModelSubmission.NotAvsLogic.selector);
        ms.settle(r);
        vm.expectRevert(ModelSubmission.NotAttestationCenter.selector);
        ms.prepareVerdict(id);
        vm.expectRevert(ModelSubmission.NotAttestationCenter.selector);
        ms.releaseOperatorFees(1);
    }

    // ---- expiry -----------------------------------------------------------------------------

    function test_expireUnrevealedAtEdge() public {
        uint256 id = _commit(optimizer, taskId, "bafkreia", "s");
        uint256 c = block.number;
        vm.roll(c + REVEAL_WINDOW);
        vm.expectRevert(ModelSubmission.NotExpirable.selector);
        ms.expire(id);
        vm.roll(c + REVEAL_WINDOW + 1);
        ms.expire(id);
        assertEq(uint256(ms.getTask(taskId).rewardPool), 10.1 ether);
        assertEq(ms.claimable(address(0), optimizer), 0.01 ether);
        assertEq(uint256(ms.getTask(taskId).open), 0);
        vm.expectRevert(ModelSubmission.NotExpirable.selector);
        ms.expire(id);
    }

    function test_expireRevealedHeadAtEdge() public {
        uint256 a = submit(taskId);
        uint256 b = submit(taskId);
        uint256 since = ms.getSubmission(a).seedBlock;
        vm.roll(since + EVAL_TIMEOUT);
        vm.expectRevert(ModelSubmission.NotExpirable.selector);
        ms.expire(a);
        vm.expectRevert(ModelSubmission.NotQueueHead.selector);
        ms.expire(b);
        vm.roll(since + EVAL_TIMEOUT + 1);
        ms.expire(a);
        assertEq(ms.claimable(address(0), optimizer), 0.11 ether);
        ModelSubmission.Task memory t = ms.getTask(taskId);
        assertEq(uint256(t.head), b);
        assertEq(uint256(t.headSince), block.number);
        // b's clock starts when it became head
        vm.roll(block.number + EVAL_TIMEOUT);
        vm.expectRevert(ModelSubmission.NotExpirable.selector);
        ms.expire(b);
        vm.roll(block.number + 1);
        ms.expire(b);
        assertEq(uint256(ms.getTask(taskId).tail), 0);
        vm.expectRevert(ModelSubmission.NotRevealed.selector);
        ms.fixSeed(b);
    }

    // ---- closing and withdrawals ------------------------------------------------------------

    function test_closeTask() public {
        uint256 id = submit(taskId);
        vm.prank(owner);
        vm.expectRevert(ModelSubmission.DeadlineNotPassed.selector);
        ms.closeTask(taskId);
        vm.warp(ms.getTask(taskId).deadline);
        vm.prank(owner);
        vm.expectRevert(ModelSubmission.TaskBusy.selector);
        ms.closeTask(taskId);
        verdict(resultFor(id, 0, 1e18, 0));
        vm.prank(optimizer);
        vm.expectRevert(ModelSubmission.NotOwner.selector);
        ms.closeTask(taskId);
        vm.prank(owner);
        ms.closeTask(taskId);
        assertEq(ms.claimable(address(0), owner), 9 ether);
        vm.prank(owner);
        vm.expectRevert(ModelSubmission.TaskClosedAlready.selector);
        ms.closeTask(taskId);
        uint256 before = owner.balance;
        vm.prank(owner);
        ms.withdraw(address(0));
        assertEq(owner.balance - before, 9 ether);
        vm.prank(owner);
        vm.expectRevert(ModelSubmission.NothingToWithdraw.selector);
        ms.withdraw(address(0));
        vm.prank(optimizer);
        vm.expectRevert(ModelSubmission.TaskClosedAlready.selector);
        ms.commit{value: 0.11 ether}(taskId, bytes32(0));
    }

    function test_erc20Task() public {
        uint256 tid = createTokenTask();
        assertEq(token.balanceOf(address(ms)), 10 ether);
        token.mint(optimizer, 1 ether);
        vm.prank(optimizer);
        token.approve(address(ms), type(uint256).max);
        // the fee is ETH, the bond is the token
        bytes32 salt = "t";
        bytes32 c = keccak256(abi.encode(tid, optimizer, keccak256(bytes("bafkreitok")), salt));
        vm.prank(optimizer);
        vm.expectRevert(ModelSubmission.WrongValue.selector);
        ms.commit{value: 0.11 ether}(tid, c);
        uint256 id = submitBy(optimizer, tid, "bafkreitok");
        assertEq(token.balanceOf(address(ms)), 10.1 ether);
        verdict(resultFor(id, 0, 1e18, 0));
        assertEq(ms.claimable(address(token), optimizer), 1.1 ether);
        assertEq(ms.claimable(address(0), optimizer), 0);
        vm.prank(optimizer);
        ms.withdraw(address(token));
        assertEq(token.balanceOf(optimizer), 1 ether - 0.1 ether + 1.1 ether);
        assertEq(token.balanceOf(address(ms)), 9 ether);
    }
}
