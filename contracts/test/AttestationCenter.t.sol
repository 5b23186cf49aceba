// SPDX-License-Identifier: MIT
pragma solidity ^0.8.28;

import {ZaraFixture} from "./base/ZaraFixture.sol";
import {AttestationCenter} from "../src/AttestationCenter.sol";
import {ModelSubmission} from "../src/ModelSubmission.sol";
import {AvsGovernance} from "../src/AvsGovernance.sol";
import {AvsLogic} from "../src/AvsLogic.sol";
import {EvalResult} from "../src/ZaraTypes.sol";

/// @notice submitResult: quorum, performer election, BLS, replays; rewards; equivocation.
contract AttestationCenterTest is ZaraFixture {
    uint256 taskId;

    function setUp() public {
        deployAll();
        registerEqual(3);
        taskId = createEthTask();
    }

    function _pair(uint256 a, uint256 b) internal pure returns (uint256[] memory s) {
        s = new uint256[](2);
        s[0] = a;
        s[1] = b;
    }

    function _submitAs(
        address sender,
        EvalResult memory r,
        bytes memory ps,
        uint256[2] memory sg,
        uint256[4] memory a2,
        uint256[2][] memory ns
    ) internal {
        vm.prank(sender);
        ac.submitResult(r, ps, sg, a2, ns);
    }

    function test_allSignAccepts() public {
        uint256 id = submit(taskId);
        verdict(resultFor(id, 0, 2e18, 1e18));
        assertEq(uint256(ms.getTask(taskId).bestId), id);
        assertEq(uint256(ms.getSubmission(id).state), uint256(ModelSubmission.State.Settled));
    }

    function test_digestIsEip712() public view {
        EvalResult memory r;
        r.taskId = 1;
        r.submissionId = 2;
        r.seed = bytes32(uint256(3));
        r.challengerScore = -5;
        bytes32 typeHash = keccak256(
            "ZaraEvalResult(uint256 taskId,uint256 submissionId,uint256 incumbentId,bytes32 seed,uint8 status,int256 challengerScore,int256 incumbentScore,bytes32 outputsDigest)"
        );
        assertEq(ac.RESULT_TYPEHASH(), typeHash);
        bytes32 domain = keccak256(
            abi.encode(
                keccak256(
                    "EIP712Domain(string name,string version,uint256 chainId,address verifyingContract)"
                ),
                keccak256("Zarathustra"),
                keccak256("1"),
                block.chainid,
                address(ac)
            )
        );
        bytes32 sh =
            keccak256(abi.encode(typeHash, 1, 2, 0, bytes32(uint256(3)), 0, int256(-5), 0, 0));
        assertEq(ac.resultDigest(r), keccak256(abi.encodePacked(hex"1901", domain, sh)));
        assertEq(ac.domainSeparator(), domain);
    }

    // ---- quorum -----------------------------------------------------------------------------

    function test_quorumExactlyTwoThirds() public {
        uint256 id = submit(taskId);
        EvalResult memory r = resultFor(id, 0, 2e18, 1e18);
        uint256 p = electedPerformer(r.seed);
        (bytes memory ps, uint256[2] memory sg, uint256[4] memory a2, uint256[2][] memory ns) =
            attest(r, _pair(p, (p + 1) % 3));
        assertEq(ns.length, 1);
        _submitAs(aggregatorAddr, r, ps, sg, a2, ns);
        assertEq(uint256(ms.getTask(taskId).bestId), id);
    }

    function test_quorumOneWeiBelow() public {
        uint256 id = submit(taskId);
        EvalResult memory r = resultFor(id, 0, 2e18, 1e18);
        uint256 p = electedPerformer(r.seed);
        // one operator (not the performer) gets one more wei: the other two now hold one wei
        // less than 2/3 of the stake (2e18 * 3 < (3e18 + 1) * 2)
        uint256 rich = (p + 1) % 3;
        vm.prank(ops[rich].addr);
        gov.topUp{value: 1}();
        (bytes memory ps, uint256[2] memory sg, uint256[4] memory a2, uint256[2][] memory ns) =
            attest(r, _pair(p, (p + 2) % 3));
        vm.expectRevert(AttestationCenter.QuorumNotReached.selector);
        ac.submitResult(r, ps, sg, a2, ns);
        // with the richer operator signing instead, 2e18 + 1 of 3e18 + 1 is enough
        (ps, sg, a2, ns) = attest(r, _pair(p, rich));
        ac.submitResult(r, ps, sg, a2, ns);
    }

    function test_oneOfThreeFails() public {
        uint256 id = submit(taskId);
        EvalResult memory r = resultFor(id, 0, 2e18, 1e18);
        uint256[] memory one = new uint256[](1);
        one[0] = electedPerformer(r.seed);
        (bytes memory ps, uint256[2] memory sg, uint256[4] memory a2, uint256[2][] memory ns) =
            attest(r, one);
        vm.expectRevert(AttestationCenter.QuorumNotReached.selector);
        ac.submitResult(r, ps, sg, a2, ns);
    }

    // ---- performer --------------------------------------------------------------------------

    function test_wrongPerformerRejected() public {
        uint256 id = submit(taskId);
        EvalResult memory r = resultFor(id, 0, 2e18, 1e18);
        (, uint256[2] memory sg, uint256[4] memory a2, uint256[2][] memory ns) =
            attest(r, allActive());
        uint256 other = (electedPerformer(r.seed) + 1) % 3;
        bytes memory bad = ecdsa(ops[other].ethKey, ac.resultDigest(r));
        vm.expectRevert(AttestationCenter.NotElectedPerformer.selector);
        ac.submitResult(r, bad, sg, a2, ns);
    }

    function test_anyOperatorPerformsAfterTimeout() public {
        uint256 id = submit(taskId);
        EvalResult memory r = resultFor(id, 0, 2e18, 1e18);
        (, uint256[2] memory sg, uint256[4] memory a2, uint256[2][] memory ns) =
            attest(r, allActive());
        uint256 other = (electedPerformer(r.seed) + 1) % 3;
        bytes memory sig = ecdsa(ops[other].ethKey, ac.resultDigest(r));
        uint256 seedBlock = ms.getSubmission(id).seedBlock;
        vm.roll(seedBlock + PERFORMER_TIMEOUT);
        vm.expectRevert(AttestationCenter.NotElectedPerformer.selector);
        ac.submitResult(r, sig, sg, a2, ns);
        // a non-operator still cannot perform
        bytes memory outsider = ecdsa(12345, ac.resultDigest(r));
        vm.roll(seedBlock + PERFORMER_TIMEOUT + 1);
        vm.expectRevert(AttestationCenter.PerformerNotActive.selector);
        ac.submitResult(r, outsider, sg, a2, ns);
        ac.submitResult(r, sig, sg, a2, ns);
        (uint256 stake, int256 adjust,) = ac.account(ops[other].id);
        assertEq(stake, 1 ether);
        assertEq(adjust, int256(0.001 ether));
    }

    function test_performerSignatureOverOtherResultRejected() public {
        uint256 id = submit(taskId);
        EvalResult memory r = resultFor(id, 0, 2e18, 1e18);
        (, uint256[2] memory sg, uint256[4] memory a2, uint256[2][] memory ns) =
            attest(r, allActive());
        EvalResult memory r2 = resultFor(id, 0, 3e18, 1e18);
        bytes memory sig = ecdsa(ops[electedPerformer(r.seed)].ethKey, ac.resultDigest(r2));
        vm.expectRevert(AttestationCenter.NotElectedPerformer.selector);
        ac.submitResult(r, sig, sg, a2, ns);
    }

    // ---- BLS --------------------------------------------------------------------------------

    function test_badAggregateRejected() public {
        uint256 id = submit(taskId);
        EvalResult memory r = resultFor(id, 0, 2e18, 1e18);
        (bytes memory ps, uint256[2] memory sg, uint256[4] memory a2, uint256[2][] memory ns) =
            attest(r, allActive());
        // the signers signed another result
        EvalResult memory other = resultFor(id, 0, 5e18, 1e18);
        (,, uint256[4] memory b2,) = attest(other, allActive());
        uint256[2] memory otherSig = blsSign(ac.resultDigest(other), _sks(allActive()));
        vm.expectRevert(AttestationCenter.BadAggregateSignature.selector);
        ac.submitResult(r, ps, otherSig, a2, ns);
        // an apkG2 that does not match the signers
        uint256[] memory two = _pair(0, 1);
        (, uint256[4] memory wrong) = blsApk(_sks(two));
        vm.expectRevert(AttestationCenter.BadAggregateSignature.selector);
        ac.submitResult(r, ps, sg, wrong, ns);
        b2;
        // claiming a signer that did not sign: sigma lacks its share
        uint256 p = electedPerformer(r.seed);
        (,, uint256[4] memory a3,) = attest(r, allActive());
        uint256[2] memory partSig = blsSign(ac.resultDigest(r), _sks(_pair(p, (p + 1) % 3)));
        vm.expectRevert(AttestationCenter.BadAggregateSignature.selector);
        ac.submitResult(r, ps, partSig, a3, ns);
        ac.submitResult(r, ps, sg, a2, ns);
    }

    function _sks(uint256[] memory idx) internal view returns (uint256[] memory sks) {
        sks = new uint256[](idx.length);
        for (uint256 i = 0; i < idx.length; i++) {
            sks[i] = ops[idx[i]].sk;
        }
    }

    function test_unregisteredNonSignerRejected() public {
        uint256 id = submit(taskId);
        EvalResult memory r = resultFor(id, 0, 2e18, 1e18);
        (bytes memory ps, uint256[2] memory sg, uint256[4] memory a2,) = attest(r, allActive());
        BlsKey memory stranger = blsKey(blsSecret("stranger"));
        uint256[2][] memory ns = new uint256[2][](1);
        ns[0] = stranger.g1;
        vm.expectRevert(AttestationCenter.NonSignerNotActive.selector);
        ac.submitResult(r, ps, sg, a2, ns);
    }

    function test_duplicateOrUnsortedNonSignersRejected() public {
        registerEqual(4); // 7 operators: 5 signers are enough
        uint256 id = submit(taskId);
        EvalResult memory r = resultFor(id, 0, 2e18, 1e18);
        uint256 p = electedPerformer(r.seed);
        uint256[] memory signers = new uint256[](5);
        uint256 k;
        signers[k++] = p;
        for (uint256 i = 0; k < 5; i++) {
            if (i != p) signers[k++] = i;
        }
        (bytes memory ps, uint256[2] memory sg, uint256[4] memory a2, uint256[2][] memory ns) =
            attest(r, signers);
        assertEq(ns.length, 2);
        uint256[2][] memory swapped = new uint256[2][](2);
        swapped[0] = ns[1];
        swapped[1] = ns[0];
        vm.expectRevert(AttestationCenter.NonSignersNotSorted.selector);
        ac.submitResult(r, ps, sg, a2, swapped);
        uint256[2][] memory dup = new uint256[2][](2);
        dup[0] = ns[0];
        dup[1] = ns[0];
        vm.expectRevert(AttestationCenter.NonSignersNotSorted.selector);
        ac.submitResult(r, ps, sg, a2, dup);
        ac.submitResult(r, ps, sg, a2, ns);
    }

    // ---- replays, staleness, result checks -------------------------------------------------

    function test_replayRejected() public {
        uint256 id = submit(taskId);
        EvalResult memory r = resultFor(id, 0, 2e18, 1e18);
        (bytes memory ps, uint256[2] memory sg, uint256[4] memory a2, uint256[2][] memory ns) =
            attest(r, allActive());
        ac.submitResult(r, ps, sg, a2, ns);
        vm.expectRevert(ModelSubmission.NotRevealed.selector);
        ac.submitResult(r, ps, sg, a2, ns);
    }

    function test_wrongSeedTaskStatusRejected() public {
        uint256 id = submit(taskId);
        EvalResult memory r = resultFor(id, 0, 2e18, 1e18);
        r.seed = bytes32(uint256(r.seed) ^ 1);
        vm.expectRevert(AttestationCenter.WrongSeed.selector);
        ac.submitResult(r, "", [uint256(0), 0], [uint256(0), 0, 0, 0], new uint256[2][](0));
        r = resultFor(id, 0, 2e18, 1e18);
        r.taskId = 7;
        vm.expectRevert(AttestationCenter.WrongTask.selector);
        ac.submitResult(r, "", [uint256(0), 0], [uint256(0), 0, 0, 0], new uint256[2][](0));
        r = resultFor(id, 3, 2e18, 1e18);
        vm.expectRevert(AttestationCenter.BadStatus.selector);
        ac.submitResult(r, "", [uint256(0), 0], [uint256(0), 0, 0, 0], new uint256[2][](0));
    }

    function test_scoreOutOfRangeRejected() public {
        uint256 id = submit(taskId);
        EvalResult memory r = resultFor(id, 0, 9e27, 0);
        (bytes memory ps, uint256[2] memory sg, uint256[4] memory a2, uint256[2][] memory ns) =
            attest(r, allActive());
        vm.expectRevert(ModelSubmission.ScoreOutOfRange.selector);
        ac.submitResult(r, ps, sg, a2, ns);
    }

    function test_seedFixedBySubmitResult() public {
        uint256 id = submit(taskId);
        assertEq(ms.getSubmission(id).seed, bytes32(0));
        verdict(resultFor(id, 0, 2e18, 1e18));
        assertTrue(ms.getSubmission(id).seed != 0);
    }

    function test_avsLogicOnlyFromAttestationCenter() public {
        EvalResult memory r;
        vm.expectRevert(AvsLogic.NotAttestationCenter.selector);
        logic.afterVerdict(r);
        vm.expectRevert(AttestationCenter.NotGovernance.selector);
        ac.onStakeChange(address(1), bytes32(uint256(1)), 1, 0, 0, 1, 1);
    }

    // ---- exits while a verdict is pending ---------------------------------------------------

    function test_exitDuringPendingVerdict() public {
        registerEqual(1); // 4 operators
        uint256 id = submit(taskId);
        EvalResult memory r = resultFor(id, 0, 2e18, 1e18);
        uint256 p = electedPerformer(r.seed);
        // everyone signed, then one operator (not the performer) exits before submission
        uint256 leaver = p == 3 ? 2 : 3;
        address leaverAddr = ops[leaver].addr;
        (bytes memory ps0, uint256[2] memory sg, uint256[4] memory a2, uint256[2][] memory ns) =
            attest(r, allActive());
        vm.prank(leaverAddr);
        gov.requestExit();
        // the old aggregate (with the leaver's signature) no longer matches the active set
        p = electedPerformer(r.seed); // the active list changed: the election follows it
        bytes memory ps = ecdsa(ops[p].ethKey, ac.resultDigest(r));
        vm.expectRevert(AttestationCenter.BadAggregateSignature.selector);
        ac.submitResult(r, ps, sg, a2, ns);
        // nor can the leaver be named as a non-signer
        uint256[2][] memory withLeaver = new uint256[2][](1);
        withLeaver[0] = ops[leaver].g1;
        vm.expectRevert(AttestationCenter.NonSignerNotActive.selector);
        ac.submitResult(r, ps, sg, a2, withLeaver);
        // re-aggregated without the leaver, the remaining 3 of 3 pass
        (ps, sg, a2, ns) = attest(r, allActive());
        ac.submitResult(r, ps, sg, a2, ns);
        assertEq(uint256(ms.getTask(taskId).bestId), id);
        ps0;
    }

    // ---- rewards ----------------------------------------------------------------------------

    function test_rewardsSplitAndWithdraw() public {
        uint256 id = submit(taskId);
        EvalResult memory r = resultFor(id, 0, 2e18, 1e18);
        uint256 p = electedPerformer(r.seed);
        uint256 ns = (p + 2) % 3;
        (bytes memory ps, uint256[2] memory sg, uint256[4] memory a2, uint256[2][] memory nsk) =
            attest(r, _pair(p, (p + 1) % 3));
        _submitAs(aggregatorAddr, r, ps, sg, a2, nsk);
        // fee 0.01: performer 10 %, aggregator 5 %, signers' pot 0.0085 per 3 ether of stake
        uint256 share = uint256(0.0085 ether) * 1e18 / 3 ether * 1 ether / 1e18;
        assertEq(ac.withdrawable(ops[p].addr), 0.001 ether + share);
        assertEq(ac.withdrawable(ops[(p + 1) % 3].addr), share);
        assertEq(ac.withdrawable(ops[ns].addr), 0);
        assertEq(ac.withdrawable(aggregatorAddr), 0.0005 ether);
        // the non-signer's share waits for the next verdict's signers
        assertEq(uint256(ac.rewardCarry()), 0.0085 ether - 2 * share);
        assertEq(ac.feesReceivable(), 0.01 ether);

        uint256 before = ops[p].addr.balance;
        vm.prank(ops[p].addr);
        ac.withdraw();
        assertEq(ops[p].addr.balance - before, 0.001 ether + share);
        assertEq(ac.feesReceivable(), 0);
        vm.prank(ops[p].addr);
        vm.expectRevert(AttestationCenter.NothingToWithdraw.selector);
        ac.withdraw();
        vm.prank(ops[ns].addr);
        vm.expectRevert(AttestationCenter.NothingToWithdraw.selector);
        ac.withdraw();
        before = aggregatorAddr.balance;
        vm.prank(aggregatorAddr);
        ac.withdraw();
        assertEq(aggregatorAddr.balance - before, 0.0005 ether);

        // next verdict, all signing: the carry is shared too
        uint256 carry = ac.rewardCarry();
        uint256 id2 = submit(taskId);
        verdict(resultFor(id2, 0, 3e18, 2e18));
        uint256 share2 = (uint256(0.0085 ether) + carry) * 1e18 / 3 ether * 1 ether / 1e18;
        assertEq(ac.withdrawable(ops[ns].addr), share2);
    }

    /// A non-signer is debited its share rounded up: ceil(stake * delta / 1e18).
    function test_nonSignerDebitRoundsUp() public {
        uint256 id = submit(taskId);
        EvalResult memory r = resultFor(id, 0, 2e18, 1e18);
        uint256 p = electedPerformer(r.seed);
        uint256 ns = (p + 2) % 3;
        vm.deal(ops[ns].addr, 1);
        vm.prank(ops[ns].addr);
        gov.topUp{value: 1}(); // stake 1 ether + 1 wei: stake * delta is not a multiple of 1e18
        vm.deal(ops[p].addr, 1 ether);
        vm.prank(ops[p].addr);
        gov.topUp{value: 1 ether}(); // keeps the quorum: 3 of 4 ether + 1 wei signed
        (bytes memory ps, uint256[2] memory sg, uint256[4] memory a2, uint256[2][] memory nsk) =
            attest(r, _pair(p, (p + 1) % 3));
        uint256 pot = uint256(0.0085 ether) + ac.rewardCarry();
        _submitAs(aggregatorAddr, r, ps, sg, a2, nsk);
        uint256 delta = pot * 1e18 / (4 ether + 1);
        uint256 product = (1 ether + 1) * delta;
        assertTrue(product % 1e18 != 0);
        (uint256 stake, int256 adjust,) = ac.account(ops[ns].id);
        assertEq(stake, 1 ether + 1);
        assertEq(adjust, -int256(product / 1e18 + 1));
        assertEq(ac.withdrawable(ops[ns].addr), 0);
    }

    function test_rewardsSurviveStakeChanges() public {
        uint256 id = submit(taskId);
        verdict(resultFor(id, 0, 2e18, 1e18));
        uint256 owed = ac.withdrawable(ops[0].addr);
        assertTrue(owed > 0);
        vm.prank(ops[0].addr);
        gov.topUp{value: 2 ether}();
        // checkpointed into credits, nothing lost by the stake change
        assertEq(ac.credits(ops[0].addr), owed);
        assertEq(ac.withdrawable(ops[0].addr), owed);
        vm.prank(ops[0].addr);
        gov.requestExit();
        assertEq(ac.withdrawable(ops[0].addr), owed);
        // an exited operator earns nothing more
        uint256 id2 = submit(taskId);
        verdict(resultFor(id2, 0, 3e18, 2e18));
        assertEq(ac.withdrawable(ops[0].addr), owed);
        vm.prank(ops[0].addr);
        ac.withdraw();
        assertEq(ac.withdrawable(ops[0].addr), 0);
    }

    function test_receiveOnlyFromProtocol() public {
        vm.expectRevert(AttestationCenter.UnexpectedEther.selector);
        payable(address(ac)).transfer(1);
    }

    // ---- equivocation -----------------------------------------------------------------------

    function test_equivocationSlashesWithBounty() public {
        uint256 id = submit(taskId);
        EvalResult memory a = resultFor(id, 0, 2e18, 1e18);
        EvalResult memory b = resultFor(id, 0, 2e18 + 1, 1e18);
        Op memory cheat = ops[1];
        uint256[2] memory sa = blsSign1(ac.resultDigest(a), cheat.sk);
        uint256[2] memory sb = blsSign1(ac.resultDigest(b), cheat.sk);
        address reporter = address(0xBEEF);
        // same digest twice is no proof
        vm.prank(reporter);
        vm.expectRevert(AttestationCenter.NotEquivocation.selector);
        ac.reportEquivocation(cheat.addr, a, sa, a, sa);
        // another operator's signature is no proof against this one
        uint256[2] memory other = blsSign1(ac.resultDigest(b), ops[2].sk);
        vm.prank(reporter);
        vm.expectRevert(AttestationCenter.BadSignature.selector);
        ac.reportEquivocation(cheat.addr, a, sa, b, other);
        // results about different evaluations are no proof
        EvalResult memory c = resultFor(id, 0, 2e18, 1e18);
        c.incumbentId = 5;
        vm.prank(reporter);
        vm.expectRevert(AttestationCenter.NotEquivocation.selector);
        ac.reportEquivocation(cheat.addr, a, sa, c, sb);

        vm.prank(reporter);
        ac.reportEquivocation(cheat.addr, a, sa, b, sb);
        assertFalse(gov.isActive(cheat.addr));
        assertEq(gov.activeCount(), 2);
        assertEq(gov.totalActiveStake(), 2 ether);
        // half the stake to the reporter, the rest shared by the 2 remaining operators
        assertEq(ac.withdrawable(reporter), 0.5 ether);
        assertEq(ac.withdrawable(ops[0].addr), 0.25 ether);
        assertEq(ac.withdrawable(ops[2].addr), 0.25 ether);
        assertEq(address(ac).balance, 1 ether);
        vm.prank(reporter);
        vm.expectRevert(AttestationCenter.NotSlashable.selector);
        ac.reportEquivocation(cheat.addr, a, sa, b, sb);
        // slashing is only for the AttestationCenter
        vm.expectRevert(AvsGovernance.NotAttestationCenter.selector);
        gov.slash(ops[0].addr);
    }

    function test_exitingOperatorStillSlashable() public {
        uint256 id = submit(taskId);
        EvalResult memory a = resultFor(id, 0, 2e18, 1e18);
        EvalResult memory b = resultFor(id, 2, 0, 0);
        Op memory cheat = ops[0];
        vm.prank(cheat.addr);
        gov.requestExit();
        ac.reportEquivocation(
            cheat.addr,
            a,
            blsSign1(ac.resultDigest(a), cheat.sk),
            b,
            blsSign1(ac.resultDigest(b), cheat.sk)
        );
        vm.roll(block.number + EXIT_DELAY);
        vm.prank(cheat.addr);
        vm.expectRevert(AvsGovernance.NotExiting.selector);
        gov.completeExit();
    }
}
