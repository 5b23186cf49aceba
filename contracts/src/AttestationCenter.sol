// SPDX-License-Identifier: MIT
pragma solidity ^0.8.28;

import {ECDSA} from "@openzeppelin/contracts/utils/cryptography/ECDSA.sol";
import {Math} from "@openzeppelin/contracts/utils/math/Math.sol";
import {SafeCast} from "@openzeppelin/contracts/utils/math/SafeCast.sol";
import {ReentrancyGuardTransient} from "@openzeppelin/contracts/utils/ReentrancyGuardTransient.sol";
import {BN254} from "./BN254.sol";
import {EvalResult, IAvsGovernance, IAvsLogic, IModelSubmission} from "./ZaraTypes.sol";

/// @title AttestationCenter
/// @notice Accepts the operators' verdict on a submission: the performer's EIP-712 ECDSA
///         signature and an aggregate BLS signature by at least QUORUM_NUM/QUORUM_DEN of the
///         active stake. Keeps the operators' ETH reward ledger (an accumulator per unit of
///         stake with debits for non-signers, so crediting costs nothing per signer), pays
///         out with withdraw, and slashes equivocating operators with a bounty.
contract AttestationCenter is ReentrancyGuardTransient {
    /// @notice keccak256 of the EIP-712 type of a result.
    bytes32 public constant RESULT_TYPEHASH = keccak256(
        "ZaraEvalResult(uint256 taskId,uint256 submissionId,uint256 incumbentId,bytes32 seed,uint8 status,int256 challengerScore,int256 incumbentScore,bytes32 outputsDigest)"
    );
    bytes32 private constant DOMAIN_TYPEHASH = keccak256(
        "EIP712Domain(string name,string version,uint256 chainId,address verifyingContract)"
    );
    uint256 internal constant BPS = 10_000;
    /// @notice Scale of accRewardPerStake.
    uint256 public constant PRECISION = 1e18;

    IAvsGovernance public immutable governance;
    IModelSubmission public immutable modelSubmission;
    /// @notice Signed stake must satisfy signed * QUORUM_DEN >= total * QUORUM_NUM.
    uint256 public immutable QUORUM_NUM;
    uint256 public immutable QUORUM_DEN;
    /// @notice Share of each evaluation fee for the performer (basis points).
    uint256 public immutable PERFORMER_BPS;
    /// @notice Share of each evaluation fee for the aggregator (basis points).
    uint256 public immutable AGGREGATOR_BPS;
    /// @notice Share of a slashed stake for the reporter of the equivocation (basis points).
    uint256 public immutable BOUNTY_BPS;
    /// @notice Blocks after the seed block during which only the elected performer may sign.
    uint256 public immutable PERFORMER_TIMEOUT;
    bytes32 private immutable _domainSeparator;
    uint256 private immutable _chainId;

    /// @notice The AvsLogic hook called after each verdict.
    IAvsLogic public immutable avsLogic;

    /// @notice Sum over verdicts of (signers' pot * PRECISION / active stake): what one unit of
    ///         active stake has earned since deployment, before non-signer debits.
    uint160 public accRewardPerStake;
    /// @notice Signers' reward not handed out yet (non-signers' shares and rounding dust); it
    ///         joins the signers' pot of the next verdict.
    uint96 public rewardCarry;
    /// @dev The active set as AvsGovernance last reported it (onStakeChange): aggregate G1
    ///      key, total stake and count, so that a verdict needs no call to read them. The
    ///      total, the count and the fees owed to us share one slot (read and written by
    ///      every verdict anyway).
    uint256 private _apkX;
    uint256 private _apkY;
    uint128 private _totalStake;
    uint32 private _activeCount;
    /// @dev ETH fees settled in ModelSubmission and not yet moved here (see feesReceivable).
    uint96 private _fees;

    struct Account {
        uint96 stake; // the operator's active stake (0 when not active), mirrored from governance
        int128 adjust; // since the last checkpoint: + performer rewards, - non-signer debits (wei)
        uint32 index; // while active: the position of the operator id in _activeIds
    }

    mapping(bytes32 => Account) private _accounts;
    /// @dev The ids of the active operators in the order of AvsGovernance's active list (the
    ///      same pushes and swap-and-pops, driven by onStakeChange), for the performer election.
    bytes32[] private _activeIds;
    mapping(bytes32 => uint256) private _snapshot;
    /// @notice The operator id of an operator address (its latest registration).
    mapping(address => bytes32) public operatorIdOf;
    /// @notice Credited rewards ready to withdraw, per account (performer, aggregator,
    ///         reporter, and operators' checkpointed signer rewards).
    mapping(address => uint256) public credits;

    event ResultSubmitted(
        uint256 indexed taskId,
        uint256 indexed submissionId,
        bytes32 indexed digest,
        uint8 status,
        address performer,
        address aggregator,
        uint256 signedStake,
        uint256 totalStake,
        uint256 nonSigners,
        uint256 fee,
        uint256 performerReward,
        uint256 aggregatorReward,
        uint256 signersReward
    );
    event RewardCredited(address indexed account, uint256 amount);
    event RewardsWithdrawn(address indexed account, uint256 amount);
    event EquivocationReported(
        address indexed operator,
        address indexed reporter,
        uint256 indexed submissionId,
        uint256 slashed,
        uint256 bounty
    );

    error NotGovernance();
    error BadParams();
    error WrongTask();
    error WrongSeed();
    error StaleIncumbent();
    error BadStatus();
    error NoOperators();
    error NotElectedPerformer();
    error PerformerNotActive();
    error NonSignersNotSorted();
    error NonSignerNotActive();
    error QuorumNotReached();
    error BadAggregateSignature();
    error NotEquivocation();
    error BadSignature();
    error NotSlashable();
    error NothingToWithdraw();
    error TransferFailed();
    error UnexpectedEther();

    /// @param avsLogic_ the AvsLogic (deployed next, at an address the deployer predicts)
    /// @param quorumNum, quorumDen the quorum fraction (2, 3)
    /// @param performerBps, aggregatorBps fee shares; the signers get the rest
    /// @param bountyBps share of a slashed stake for the reporter
    /// @param performerTimeout blocks after the seed block before any active operator may perform
    constructor(
        address governance_,
        address modelSubmission_,
        address avsLogic_,
        uint256 quorumNum,
        uint256 quorumDen,
        uint256 performerBps,
        uint256 aggregatorBps,
        uint256 bountyBps,
        uint256 performerTimeout
    ) {
        if (
            quorumDen == 0 || quorumNum == 0 || quorumNum > quorumDen
                || performerBps + aggregatorBps > BPS || bountyBps > BPS
        ) revert BadParams();
        governance = IAvsGovernance(governance_);
        modelSubmission = IModelSubmission(modelSubmission_);
        avsLogic = IAvsLogic(avsLogic_);
        QUORUM_NUM = quorumNum;
        QUORUM_DEN = quorumDen;
        PERFORMER_BPS = performerBps;
        AGGREGATOR_BPS = aggregatorBps;
        BOUNTY_BPS = bountyBps;
        PERFORMER_TIMEOUT = performerTimeout;
        _chainId = block.chainid;
        _domainSeparator = _buildDomainSeparator();
    }

    /// @notice Accepts fee and slashing transfers from ModelSubmission and AvsGovernance.
    receive() external payable {
        if (msg.sender != address(modelSubmission) && msg.sender != address(governance)) {
            revert UnexpectedEther();
        }
    }

    // ---- EIP-712 ----------------------------------------------------------------------------

    function _buildDomainSeparator() private view returns (bytes32) {
        return keccak256(
            abi.encode(
                DOMAIN_TYPEHASH,
                keccak256("Zarathustra"),
                keccak256("1"),
                block.chainid,
                address(this)
            )
        );
    }

    /// @notice The EIP-712 domain separator {name "Zarathustra", version "1", chainId, this}.
    function domainSeparator() public view returns (bytes32) {
        return block.chainid == _chainId ? _domainSeparator : _buildDomainSeparator();
    }

    /// @notice The 32 bytes operators sign (ECDSA by the performer, BLS by the attesters):
    ///         keccak256(0x1901 ‖ domainSeparator ‖ keccak256(abi.encode(RESULT_TYPEHASH, r...))).
    function resultDigest(EvalResult calldata r) public view returns (bytes32) {
        bytes32 structHash = keccak256(
            abi.encode(
                RESULT_TYPEHASH,
                r.taskId,
                r.submissionId,
                r.incumbentId,
                r.seed,
                r.status,
                r.challengerScore,
                r.incumbentScore,
                r.outputsDigest
            )
        );
        return keccak256(abi.encodePacked(hex"1901", domainSeparator(), structHash));
    }

    // ---- verdicts ---------------------------------------------------------------------------

    /// @notice Submits the network's verdict on the head submission of a task.
    /// @param r the result, as every signer computed it
    /// @param performerSig the elected performer's 65-byte ECDSA signature (r ‖ s ‖ v) of
    ///        resultDigest(r); after PERFORMER_TIMEOUT blocks past the seed block any active
    ///        operator may be the performer
    /// @param sigma the aggregate BLS signature of resultDigest(r) by all signers (G1)
    /// @param apkG2 the signers' aggregate G2 key, precompile order
    /// @param nonSignerPks G1 keys of the active operators that did not sign, sorted by
    ///        strictly increasing operator id keccak256(abi.encode(x, y))
    function submitResult(
        EvalResult calldata r,
        bytes calldata performerSig,
        uint256[2] calldata sigma,
        uint256[4] calldata apkG2,
        uint256[2][] calldata nonSignerPks
    ) external nonReentrant {
        if (r.status > 2) revert BadStatus();
        Verdict memory v;
        uint256 seedBlock;
        uint256 bestId;
        (v.taskId, v.seed, seedBlock, bestId, v.fee) =
            modelSubmission.prepareVerdict(r.submissionId);
        if (r.taskId != v.taskId) revert WrongTask();
        if (r.seed != v.seed) revert WrongSeed();
        if (r.incumbentId != bestId) revert StaleIncumbent();
        v.digest = resultDigest(r);
        uint256 count = _activeCount;
        if (count == 0) revert NoOperators();
        v.apk[0] = _apkX;
        v.apk[1] = _apkY;
        v.totalStake = _totalStake;
        (v.performer, v.performerId) = _performer(v.digest, performerSig, v.seed, seedBlock, count);

        // The signers' pot is shared per unit of *active* stake; each non-signer is debited
        // its share at once (one storage write), and that share waits in rewardCarry.
        _splitFee(v);
        // Signers = every active operator except the listed non-signers.
        (uint256 missing, uint256[2] memory nsSum) = _nonSigners(nonSignerPks, v.delta);
        v.signed = v.totalStake - missing;
        if (v.signed * QUORUM_DEN < v.totalStake * QUORUM_NUM) revert QuorumNotReached();
        // signers' key = apk - sum of the non-signers' keys (nothing to subtract when all signed)
        if (nsSum[0] != 0 || nsSum[1] != 0) v.apk = BN254.add(v.apk, BN254.negate(nsSum));
        if (!BN254.verify(v.digest, v.apk, apkG2, sigma)) {
            revert BadAggregateSignature();
        }
        _credit(v);
        _emitResult(r, v, nonSignerPks.length);
        avsLogic.afterVerdict(r);
    }

    struct Verdict {
        uint256 taskId;
        bytes32 seed;
        uint256 fee;
        bytes32 digest;
        uint256[2] apk;
        uint256 totalStake;
        uint256 signed;
        address performer;
        bytes32 performerId;
        uint256 toPerformer;
        uint256 toAggregator;
        uint256 pot;
        uint256 delta;
        uint256 toSigners;
    }

    function _emitResult(EvalResult calldata r, Verdict memory v, uint256 nonSigners) private {
        emit ResultSubmitted(
            v.taskId,
            r.submissionId,
            v.digest,
            r.status,
            v.performer,
            msg.sender,
            v.signed,
            v.totalStake,
            nonSigners,
            v.fee,
            v.toPerformer,
            v.toAggregator,
            v.toSigners
        );
    }

    function _performer(
        bytes32 digest,
        bytes calldata sig,
        bytes32 seed,
        uint256 seedBlock,
        uint256 count
    ) private view returns (address performer, bytes32 id) {
        performer = ECDSA.recoverCalldata(digest, sig);
        // An operator id belongs to one address ever (keys are never reused), and it is
        // operatorIdOf[performer] exactly while that operator is registered with it: so the
        // ids match iff performer is AvsGovernance.activeOperatorAt(seed % count), and its
        // mirrored stake is non-zero iff it is active.
        id = operatorIdOf[performer];
        if (block.number <= seedBlock + PERFORMER_TIMEOUT) {
            uint256 slot;
            bytes32 elected;
            assembly ("memory-safe") {
                mstore(0x00, _activeIds.slot)
                slot := keccak256(0x00, 0x20)
            }
            unchecked {
                slot += uint256(seed) % count; // count == _activeIds.length
            }
            assembly ("memory-safe") {
                elected := sload(slot)
            }
            if (id != elected) revert NotElectedPerformer();
        } else if (_accounts[id].stake == 0) {
            revert PerformerNotActive();
        }
    }

    /// @dev Sums the non-signers' stakes and G1 keys (their ids keccak256(abi.encode(x, y))
    ///      must strictly increase) and debits each one ceil(stake * delta / PRECISION): one
    ///      read and one write of its packed Account slot (stake = bits 0..95, adjust = int128
    ///      at bits 96..223, index = bits 224..255). One assembly loop: per key a keccak for
    ///      the id, one for the slot, and an ecAdd into scratch memory, nothing allocated.
    function _nonSigners(uint256[2][] calldata pks, uint256 delta)
        private
        returns (uint256 missing, uint256[2] memory sum)
    {
        uint256 failure; // 0 none, else which check failed (the first one, in key order)
        assembly ("memory-safe") {
            // m: running sum (x, y) then the next key (x, y): the ecAdd input and output
            let m := mload(0x40)
            mstore(m, 0)
            mstore(add(m, 0x20), 0)
            let prev := 0
            let p := pks.offset
            // the ABI decoder checked that pks.length keys of 64 bytes are in the calldata
            for { let end := add(p, shl(6, pks.length)) } lt(p, end) { p := add(p, 0x40) } {
                calldatacopy(add(m, 0x40), p, 0x40)
                let id := keccak256(add(m, 0x40), 0x40)
                if iszero(gt(id, prev)) {
                    failure := 1
                    break
                }
                prev := id
                mstore(0x00, id)
                mstore(0x20, _accounts.slot)
                let slot := keccak256(0x00, 0x40)
                let word := sload(slot)
                let st := and(word, 0xffffffffffffffffffffffff)
                if iszero(st) {
                    failure := 2
                    break
                }
                // adjust - ceil(st * delta / PRECISION) in int256: st < 2^96 and delta < 2^160,
                // so st * delta + PRECISION - 1 < 2^256 and the difference cannot overflow
                let adj :=
                    sub(
                        signextend(15, shr(96, word)),
                        div(add(mul(st, delta), sub(PRECISION, 1)), PRECISION)
                    )
                if slt(adj, not(0x7fffffffffffffffffffffffffffffff)) {
                    failure := 3 // below type(int128).min
                    break
                }
                // keep stake and index, replace adjust
                sstore(
                    slot,
                    or(
                        and(word, not(shl(96, 0xffffffffffffffffffffffffffffffff))),
                        shl(96, and(adj, 0xffffffffffffffffffffffffffffffff))
                    )
                )
                if iszero(staticcall(gas(), 0x06, m, 0x80, m, 0x40)) {
                    failure := 4
                    break
                }
                missing := add(missing, st) // each stake < 2^96, fewer than 2^32 keys
            }
            mstore(sum, mload(m))
            mstore(add(sum, 0x20), mload(add(m, 0x20)))
        }
        if (failure != 0) {
            if (failure == 1) revert NonSignersNotSorted();
            if (failure == 2) revert NonSignerNotActive();
            if (failure == 3) revert BadParams();
            revert BN254.PrecompileFailed();
        }
    }

    /// @dev Splits the fee: PERFORMER_BPS to the performer, AGGREGATOR_BPS to the aggregator,
    ///      the rest plus rewardCarry is the signers' pot, delta = pot * PRECISION / active stake.
    function _splitFee(Verdict memory v) private view {
        uint256 fee = v.fee;
        v.toPerformer = fee * PERFORMER_BPS / BPS;
        v.toAggregator = fee * AGGREGATOR_BPS / BPS;
        v.pot = fee - v.toPerformer - v.toAggregator + rewardCarry;
        v.delta = v.pot * PRECISION / v.totalStake;
        if (v.delta >> 160 != 0) revert BadParams();
    }

    /// @dev Credits the verdict: accumulator, carry, performer, aggregator, fees owed to us.
    function _credit(Verdict memory v) private {
        // reserved for the signers: delta per unit of their stake, rounded up so that the
        // operators' accruals (each rounded down, but over summed deltas) never exceed it
        v.toSigners = Math.mulDiv(v.delta, v.signed, PRECISION, Math.Rounding.Ceil);
        uint160 acc = accRewardPerStake + uint160(v.delta);
        uint96 carry = SafeCast.toUint96(v.pot - v.toSigners);
        (accRewardPerStake, rewardCarry) = (acc, carry); // one slot, written once
        _fees += SafeCast.toUint96(v.fee); // real ETH paid by commits: < 2^96 in practice
        if (v.toPerformer != 0) {
            _accounts[v.performerId].adjust += int128(uint128(v.toPerformer));
        }
        if (v.toAggregator != 0) credits[msg.sender] += v.toAggregator;
    }

    // ---- operator accounts ------------------------------------------------------------------

    /// @notice AvsGovernance reports every change of an operator's active stake (register,
    ///         top-up, exit, slash) with its quorum state after the change; the operator's
    ///         rewards so far are checkpointed first.
    function onStakeChange(
        address operator,
        bytes32 operatorId,
        uint256 newStake,
        uint256 apkX,
        uint256 apkY,
        uint256 totalStake,
        uint256 activeCount
    ) external {
        if (msg.sender != address(governance)) revert NotGovernance();
        _apkX = apkX;
        _apkY = apkY;
        _totalStake = uint128(totalStake); // AvsGovernance keeps both in these widths
        _activeCount = uint32(activeCount);
        _checkpoint(operator, operatorId);
        Account storage a = _accounts[operatorId];
        if (a.stake == 0 && newStake != 0) {
            a.index = uint32(_activeIds.length);
            _activeIds.push(operatorId);
        } else if (a.stake != 0 && newStake == 0) {
            uint256 i = a.index;
            bytes32 last = _activeIds[_activeIds.length - 1];
            _activeIds[i] = last;
            _accounts[last].index = uint32(i);
            _activeIds.pop();
        }
        a.stake = uint96(newStake);
        operatorIdOf[operator] = operatorId;
    }

    function _pending(bytes32 id) private view returns (uint256) {
        Account memory a = _accounts[id];
        int256 due =
            int256(Math.mulDiv(a.stake, accRewardPerStake - _snapshot[id], PRECISION)) + a.adjust;
        return due > 0 ? uint256(due) : 0;
    }

    function _checkpoint(address operator, bytes32 id) private {
        uint256 p = _pending(id);
        _snapshot[id] = accRewardPerStake;
        _accounts[id].adjust = 0;
        if (p != 0) {
            credits[operator] += p;
            emit RewardCredited(operator, p);
        }
    }

    /// @notice What an account can withdraw now, including signer rewards not yet checkpointed.
    function withdrawable(address who) external view returns (uint256) {
        bytes32 id = operatorIdOf[who];
        return credits[who] + (id == 0 ? 0 : _pending(id));
    }

    /// @notice The reward account of an operator id: active stake, adjustment, snapshot.
    function account(bytes32 operatorId)
        external
        view
        returns (uint256 stake, int256 adjust, uint256 snapshot)
    {
        Account memory a = _accounts[operatorId];
        return (a.stake, a.adjust, _snapshot[operatorId]);
    }

    /// @notice ETH fees settled in ModelSubmission and not yet moved here.
    function feesReceivable() external view returns (uint256) {
        return _fees;
    }

    /// @notice Pays msg.sender all its rewards (ETH).
    function withdraw() external nonReentrant {
        bytes32 id = operatorIdOf[msg.sender];
        if (id != 0) _checkpoint(msg.sender, id);
        uint256 amount = credits[msg.sender];
        if (amount == 0) revert NothingToWithdraw();
        credits[msg.sender] = 0;
        if (address(this).balance < amount) {
            uint256 owed = _fees;
            _fees = 0;
            modelSubmission.releaseOperatorFees(owed);
        }
        emit RewardsWithdrawn(msg.sender, amount);
        (bool ok,) = msg.sender.call{value: amount}("");
        if (!ok) revert TransferFailed();
    }

    // ---- equivocation -----------------------------------------------------------------------

    /// @notice Proof that `operator` BLS-signed two different results for the same evaluation
    ///         (same taskId, submissionId, incumbentId and seed). The operator's whole stake is
    ///         slashed; BOUNTY_BPS of it is credited to msg.sender, the rest is shared by the
    ///         active operators per unit of stake.
    function reportEquivocation(
        address operator,
        EvalResult calldata a,
        uint256[2] calldata sigA,
        EvalResult calldata b,
        uint256[2] calldata sigB
    ) external nonReentrant {
        if (
            a.taskId != b.taskId || a.submissionId != b.submissionId
                || a.incumbentId != b.incumbentId || a.seed != b.seed
        ) revert NotEquivocation();
        bytes32 da = resultDigest(a);
        bytes32 db = resultDigest(b);
        if (da == db) revert NotEquivocation();
        (uint256[2] memory pk1, uint256[4] memory pk2, bool slashable) =
            governance.operatorKeys(operator);
        if (!slashable) revert NotSlashable();
        if (!BN254.verify(da, pk1, pk2, sigA) || !BN254.verify(db, pk1, pk2, sigB)) {
            revert BadSignature();
        }
        uint256 amount = governance.slash(operator);
        uint256 bounty = amount * BOUNTY_BPS / BPS;
        uint256 rest = amount - bounty;
        uint256 total = _totalStake; // after the slash (onStakeChange)
        if (rest != 0 && total != 0) {
            uint256 delta = rest * PRECISION / total;
            accRewardPerStake += uint160(delta);
            rest -= Math.mulDiv(delta, total, PRECISION, Math.Rounding.Ceil);
        }
        bounty += rest;
        credits[msg.sender] += bounty;
        emit RewardCredited(msg.sender, bounty);
        emit EquivocationReported(operator, msg.sender, a.submissionId, amount, bounty);
    }
}
