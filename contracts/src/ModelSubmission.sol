// SPDX-License-Identifier: MIT
pragma solidity ^0.8.28;

import {IERC20} from "@openzeppelin/contracts/token/ERC20/IERC20.sol";
import {SafeERC20} from "@openzeppelin/contracts/token/ERC20/utils/SafeERC20.sol";
import {ReentrancyGuardTransient} from "@openzeppelin/contracts/utils/ReentrancyGuardTransient.sol";
import {EvalResult, ResultStatus} from "./ZaraTypes.sol";

/// @title ModelSubmission
/// @notice Tasks (a model to improve, a reward pool in ETH or an ERC-20) and the submissions
///         that compete for it: commit, reveal, seed, per-task queue in reveal order,
///         settlement on the AttestationCenter's verdict, expiry, and closing. Every payout is
///         credited to `claimable` and pulled with `withdraw`.
/// @dev Bonds and pools are in the task's token; the evaluation fee is always ETH (it pays
///      the operators, whose reward ledger is kept in ETH).
contract ModelSubmission is ReentrancyGuardTransient {
    using SafeERC20 for IERC20;

    /// @notice What createTask takes.
    struct TaskParams {
        address token; // address(0) = ETH
        uint256 rewardPool; // initial pool (ETH: must equal msg.value)
        uint256 rewardPerImprovement; // paid for each accepted improvement (capped by the pool)
        uint256 evaluationFee; // ETH, paid by each submission to the operators
        uint256 bond; // in the task token, posted by each submission
        uint16 slashBps; // share of the bond kept when a valid model does not improve
        int256 minImprovement; // wad; challenger - incumbent must reach it
        uint64 deadline; // unix time after which no commit is accepted
        string archCid;
        string initCid;
        string evalCid;
    }

    struct Task {
        address owner;
        uint64 deadline;
        bool closed;
        address token;
        uint16 slashBps;
        uint128 bond;
        uint128 evaluationFee;
        uint128 rewardPerImprovement;
        int128 minImprovement;
        uint128 rewardPool;
        int128 bestScore;
        uint48 bestId;
        uint48 head;
        uint48 tail;
        uint48 headSince;
        uint32 open;
        string archCid;
        string initCid;
        string evalCid;
    }

    enum State {
        None,
        Committed,
        Revealed,
        Settled,
        Expired
    }

    struct Submission {
        address optimizer;
        uint48 taskId;
        State state;
        uint40 seedBlock;
        uint64 commitBlock;
        uint48 next;
        bytes32 commitment;
        bytes32 seed;
    }

    uint256 internal constant BPS = 10_000;
    /// @notice |score| bound (wad): 9e9 * 1e18, as DESIGN.md's EVAL_ERROR rule.
    int256 public constant SCORE_LIMIT = 9e27;
    uint256 internal constant MAX_CID = 128;

    /// @notice Blocks between a reveal and its seed block.
    uint256 public immutable SEED_DELAY;
    /// @notice Blocks after the commit block during which the reveal is accepted.
    uint256 public immutable REVEAL_WINDOW;
    /// @notice Blocks a revealed queue head may wait for a verdict before anyone may expire it.
    uint256 public immutable EVAL_TIMEOUT;
    address private immutable _deployer;

    /// @notice The AvsLogic allowed to settle.
    address public avsLogic;
    /// @notice The AttestationCenter (receives the operators' fees).
    address public attestationCenter;

    uint256 public taskCount;
    uint256 public submissionCount;

    mapping(uint256 => Task) private _tasks;
    mapping(uint256 => Submission) private _subs;
    /// @notice What each account can withdraw, per token (address(0) = ETH).
    mapping(address => mapping(address => uint256)) public claimable;

    event TaskCreated(
        uint256 indexed taskId,
        address indexed owner,
        address indexed token,
        uint256 rewardPool,
        uint256 rewardPerImprovement,
        uint256 evaluationFee,
        uint256 bond,
        uint16 slashBps,
        int256 minImprovement,
        uint64 deadline
    );
    /// @notice The content addresses (CIDv1, base32) of a task's files; emitted with TaskCreated.
    event TaskFiles(uint256 indexed taskId, string archCid, string initCid, string evalCid);
    event TaskFunded(uint256 indexed taskId, address indexed from, uint256 amount, uint256 pool);
    event TaskClosed(uint256 indexed taskId, uint256 refund);
    event SubmissionCommitted(
        uint256 indexed taskId,
        uint256 indexed submissionId,
        address indexed optimizer,
        bytes32 commitment
    );
    event SubmissionRevealed(
        uint256 indexed taskId,
        uint256 indexed submissionId,
        address indexed optimizer,
        string paramsCid,
        uint256 seedBlock
    );
    event SeedFixed(uint256 indexed taskId, uint256 indexed submissionId, bytes32 seed);
    event SeedRearmed(uint256 indexed taskId, uint256 indexed submissionId, uint256 seedBlock);
    event SubmissionSettled(
        uint256 indexed taskId,
        uint256 indexed submissionId,
        uint256 indexed incumbentId,
        uint8 status,
        bool accepted,
        int256 challengerScore,
        int256 incumbentScore,
        uint256 reward,
        uint256 bondRefund,
        uint256 bondKept,
        uint256 fee
    );
    event SubmissionExpired(
        uint256 indexed taskId,
        uint256 indexed submissionId,
        bool revealed,
        uint256 bondRefund,
        uint256 feeRefund
    );
    event Withdrawn(address indexed token, address indexed account, uint256 amount);

    error NotDeployer();
    error AlreadyInitialized();
    error NotAvsLogic();
    error NotAttestationCenter();
    error BadParams();
    error WrongValue();
    error NoSuchTask();
    error TaskClosedAlready();
    error DeadlinePassed();
    error DeadlineNotPassed();
    error NotOwner();
    error TaskBusy();
    error NotCommitted();
    error NotOptimizer();
    error RevealTooEarly();
    error RevealWindowOver();
    error BadCommitment();
    error NotRevealed();
    error SeedNotReady();
    error NotQueueHead();
    error StaleIncumbent();
    error WrongSeed();
    error WrongTask();
    error BadStatus();
    error ScoreOutOfRange();
    error NotExpirable();
    error NothingToWithdraw();
    error TransferFailed();
    error BondNotReceived();

    /// @param seedDelay blocks from reveal to seed block
    /// @param revealWindow blocks after the commit block in which the reveal is accepted
    /// @param evalTimeout blocks a revealed queue head may wait for a verdict
    constructor(uint256 seedDelay, uint256 revealWindow, uint256 evalTimeout) {
        if (seedDelay == 0 || revealWindow == 0 || evalTimeout == 0) revert BadParams();
        SEED_DELAY = seedDelay;
        REVEAL_WINDOW = revealWindow;
        EVAL_TIMEOUT = evalTimeout;
        _deployer = msg.sender;
    }

    /// @notice Wires AvsLogic and the AttestationCenter; callable once, by the deployer.
    function initialize(address avsLogic_, address attestationCenter_) external {
        if (msg.sender != _deployer) revert NotDeployer();
        if (avsLogic != address(0)) revert AlreadyInitialized();
        avsLogic = avsLogic_;
        attestationCenter = attestationCenter_;
    }

    // ---- tasks ------------------------------------------------------------------------------

    /// @notice Creates a task and escrows its reward pool (ETH: msg.value; ERC-20: pulled
    ///         with transferFrom, the amount received counts).
    /// @return taskId the new task's id (from 1)
    function createTask(TaskParams calldata p)
        external
        payable
        nonReentrant
        returns (uint256 taskId)
    {
        if (
            p.slashBps > BPS || p.minImprovement < 0 || p.minImprovement >= SCORE_LIMIT
                || p.deadline <= block.timestamp || p.rewardPerImprovement > type(uint128).max
                || p.evaluationFee > type(uint96).max || p.bond > type(uint128).max
                || !_cidOk(p.archCid) || !_cidOk(p.initCid) || !_cidOk(p.evalCid)
        ) revert BadParams();
        uint256 pool = _pull(p.token, p.rewardPool);
        if (pool > type(uint128).max) revert BadParams();
        taskId = ++taskCount;
        Task storage t = _tasks[taskId];
        t.owner = msg.sender;
        t.deadline = p.deadline;
        t.slashBps = p.slashBps;
        t.token = p.token;
        t.bond = uint128(p.bond);
        t.evaluationFee = uint128(p.evaluationFee);
        t.rewardPool = uint128(pool);
        t.rewardPerImprovement = uint128(p.rewardPerImprovement);
        t.minImprovement = int128(p.minImprovement);
        t.archCid = p.archCid;
        t.initCid = p.initCid;
        t.evalCid = p.evalCid;
        emit TaskCreated(
            taskId,
            msg.sender,
            p.token,
            pool,
            p.rewardPerImprovement,
            p.evaluationFee,
            p.bond,
            p.slashBps,
            p.minImprovement,
            p.deadline
        );
        emit TaskFiles(taskId, p.archCid, p.initCid, p.evalCid);
    }

    /// @notice Adds to a task's reward pool (anyone; ETH: msg.value, ERC-20: transferFrom).
    function fundTask(uint256 taskId, uint256 amount) external payable nonReentrant {
        Task storage t = _task(taskId);
        if (t.closed) revert TaskClosedAlready();
        uint256 got = _pull(t.token, amount);
        uint256 pool = uint256(t.rewardPool) + got;
        if (pool > type(uint128).max) revert BadParams();
        t.rewardPool = uint128(pool);
        emit TaskFunded(taskId, msg.sender, got, pool);
    }

    /// @notice After the deadline, with no live submission, the owner closes the task and
    ///         the rest of the pool becomes claimable by the owner.
    function closeTask(uint256 taskId) external {
        Task storage t = _task(taskId);
        if (msg.sender != t.owner) revert NotOwner();
        if (t.closed) revert TaskClosedAlready();
        if (block.timestamp < t.deadline) revert DeadlineNotPassed();
        if (t.open != 0) revert TaskBusy();
        uint256 refund = t.rewardPool;
        t.rewardPool = 0;
        t.closed = true;
        claimable[t.token][msg.sender] += refund;
        emit TaskClosed(taskId, refund);
    }

    // ---- submissions ------------------------------------------------------------------------

    /// @notice The commitment commit() expects.
    function commitmentOf(
        uint256 taskId,
        address optimizer,
        string calldata paramsCid,
        bytes32 salt
    ) external pure returns (bytes32) {
        return keccak256(abi.encode(taskId, optimizer, keccak256(bytes(paramsCid)), salt));
    }

    /// @notice Commits to parameters without showing them:
    ///         commitment = keccak256(abi.encode(taskId, msg.sender, keccak256(bytes(paramsCid)), salt)).
    ///         Pays the bond (task token) and the evaluation fee (ETH): for an ETH task
    ///         msg.value = bond + fee, for an ERC-20 task msg.value = fee and the bond is
    ///         pulled with transferFrom.
    /// @return submissionId the new submission's id (from 1, global across tasks)
    function commit(uint256 taskId, bytes32 commitment)
        external
        payable
        nonReentrant
        returns (uint256 submissionId)
    {
        Task storage t = _task(taskId);
        if (t.closed) revert TaskClosedAlready();
        if (block.timestamp >= t.deadline) revert DeadlinePassed();
        address token = t.token;
        uint256 bond = t.bond;
        uint256 fee = t.evaluationFee;
        if (token == address(0)) {
            if (msg.value != bond + fee) revert WrongValue();
        } else {
            if (msg.value != fee) revert WrongValue();
            if (bond != 0 && _pullToken(token, bond) != bond) revert BondNotReceived();
        }
        submissionId = ++submissionCount;
        Submission storage s = _subs[submissionId];
        s.optimizer = msg.sender;
        s.taskId = uint48(taskId);
        s.state = State.Committed;
        s.commitBlock = uint64(block.number);
        s.commitment = commitment;
        t.open += 1;
        emit SubmissionCommitted(taskId, submissionId, msg.sender, commitment);
    }

    /// @notice Reveals a committed submission (in a later block, within REVEAL_WINDOW blocks of
    ///         the commit), queues it behind the task's earlier reveals and sets
    ///         seedBlock = block.number + SEED_DELAY.
    function reveal(uint256 submissionId, string calldata paramsCid, bytes32 salt) external {
        Submission storage s = _subs[submissionId];
        if (s.state != State.Committed) revert NotCommitted();
        if (msg.sender != s.optimizer) revert NotOptimizer();
        if (block.number <= s.commitBlock) revert RevealTooEarly();
        if (block.number > s.commitBlock + REVEAL_WINDOW) revert RevealWindowOver();
        uint256 taskId = s.taskId;
        if (
            keccak256(abi.encode(taskId, msg.sender, keccak256(bytes(paramsCid)), salt))
                != s.commitment
        ) revert BadCommitment();
        uint256 seedBlock = block.number + SEED_DELAY;
        s.state = State.Revealed;
        s.seedBlock = uint40(seedBlock);
        Task storage t = _tasks[taskId];
        uint48 id = uint48(submissionId);
        if (t.tail == 0) {
            t.head = id;
            t.headSince = uint48(block.number);
        } else {
            _subs[t.tail].next = id;
        }
        t.tail = id;
        emit SubmissionRevealed(taskId, submissionId, msg.sender, paramsCid, seedBlock);
    }

    /// @notice Persists the seed of a revealed submission once its seed block is mined:
    ///         seed = keccak256(abi.encode(blockhash(seedBlock), block.chainid, address(this),
    ///         taskId, submissionId)). Anyone may call it, in the 256 blocks after seedBlock.
    ///         If nobody did and blockhash(seedBlock) is gone, the seed block is re-armed to
    ///         block.number + SEED_DELAY (SeedRearmed) and bytes32(0) is returned.
    /// @return seed the persisted seed, or 0 after a re-arm
    function fixSeed(uint256 submissionId) public returns (bytes32 seed) {
        Submission storage s = _subs[submissionId];
        if (s.state != State.Revealed) revert NotRevealed();
        seed = s.seed;
        if (seed != 0) return seed;
        uint256 seedBlock = s.seedBlock;
        if (block.number <= seedBlock) revert SeedNotReady();
        uint256 taskId = s.taskId;
        if (block.number > seedBlock + 256) {
            seedBlock = block.number + SEED_DELAY;
            s.seedBlock = uint40(seedBlock);
            emit SeedRearmed(taskId, submissionId, seedBlock);
            return 0;
        }
        seed = keccak256(
            abi.encode(blockhash(seedBlock), block.chainid, address(this), taskId, submissionId)
        );
        s.seed = seed;
        emit SeedFixed(taskId, submissionId, seed);
    }

    /// @notice For the AttestationCenter before it checks a verdict: fixes the seed if needed
    ///         and returns what the verdict must match. Reverts unless the submission is the
    ///         revealed head of its task's queue with a seed.
    function prepareVerdict(uint256 submissionId)
        external
        returns (uint256 taskId, bytes32 seed, uint256 seedBlock, uint256 bestId, uint256 fee)
    {
        if (msg.sender != attestationCenter) revert NotAttestationCenter();
        seed = fixSeed(submissionId);
        if (seed == 0) revert SeedNotReady();
        Submission storage s = _subs[submissionId];
        taskId = s.taskId;
        Task storage t = _tasks[taskId];
        if (t.head != submissionId) revert NotQueueHead();
        return (taskId, seed, s.seedBlock, t.bestId, t.evaluationFee);
    }

    /// @notice Applies a verdict (only AvsLogic). OK with challenger - incumbent >=
    ///         minImprovement: new best, reward min(rewardPerImprovement, pool), bond refunded.
    ///         OK otherwise: slashBps of the bond to the pool, rest refunded. INVALID_MODEL: the
    ///         bond to the pool. EVAL_ERROR: bond refunded. The fee goes to the operators.
    function settle(EvalResult calldata r) external {
        if (msg.sender != avsLogic) revert NotAvsLogic();
        Submission storage s = _subs[r.submissionId];
        if (s.state != State.Revealed) revert NotRevealed();
        uint256 taskId = s.taskId;
        if (r.taskId != taskId) revert WrongTask();
        Task storage t = _tasks[taskId];
        if (t.head != r.submissionId) revert NotQueueHead();
        if (s.seed == 0 || s.seed != r.seed) revert WrongSeed();
        if (r.incumbentId != t.bestId) revert StaleIncumbent();
        if (r.status > ResultStatus.EVAL_ERROR) revert BadStatus();
        if (
            r.challengerScore >= SCORE_LIMIT || r.challengerScore <= -SCORE_LIMIT
                || r.incumbentScore >= SCORE_LIMIT || r.incumbentScore <= -SCORE_LIMIT
        ) revert ScoreOutOfRange();

        s.state = State.Settled;
        uint256 bond = t.bond;
        uint256 reward;
        uint256 kept;
        bool accepted;
        if (r.status == ResultStatus.OK) {
            int256 gain = r.challengerScore - r.incumbentScore;
            if (gain >= t.minImprovement) {
                accepted = true;
                uint256 pool = t.rewardPool;
                reward = t.rewardPerImprovement < pool ? t.rewardPerImprovement : pool;
                t.rewardPool = uint128(pool - reward);
                t.bestScore = t.bestId == 0 ? int128(r.challengerScore) : t.bestScore + int128(gain);
                t.bestId = uint48(r.submissionId);
            } else {
                kept = bond * t.slashBps / BPS;
            }
        } else if (r.status == ResultStatus.INVALID_MODEL) {
            kept = bond;
        }
        if (kept != 0) t.rewardPool += uint128(kept);
        uint256 payout = reward + bond - kept;
        if (payout != 0) claimable[t.token][s.optimizer] += payout;
        uint256 fee = t.evaluationFee; // owed to the operators: the AttestationCenter counts it
        _advance(t, s);
        _emitSettled(r, accepted, reward, bond - kept, kept, fee);
    }

    function _emitSettled(
        EvalResult calldata r,
        bool accepted,
        uint256 reward,
        uint256 refund,
        uint256 kept,
        uint256 fee
    ) private {
        emit SubmissionSettled(
            r.taskId,
            r.submissionId,
            r.incumbentId,
            r.status,
            accepted,
            r.challengerScore,
            r.incumbentScore,
            reward,
            refund,
            kept,
            fee
        );
    }

    /// @notice Ends a submission nobody settled. A commit never revealed within REVEAL_WINDOW:
    ///         its bond goes to the pool, its fee is refunded. A revealed queue head with no
    ///         verdict EVAL_TIMEOUT blocks after it became head (or after its seed block,
    ///         whichever is later): bond and fee refunded, the queue moves on. Anyone may call.
    function expire(uint256 submissionId) external {
        Submission storage s = _subs[submissionId];
        uint256 taskId = s.taskId;
        Task storage t = _tasks[taskId];
        uint256 bond = t.bond;
        uint256 fee = t.evaluationFee;
        address optimizer = s.optimizer;
        bool revealed;
        if (s.state == State.Committed) {
            if (block.number <= s.commitBlock + REVEAL_WINDOW) revert NotExpirable();
            s.state = State.Expired;
            t.rewardPool += uint128(bond);
            t.open -= 1;
            bond = 0;
        } else if (s.state == State.Revealed) {
            if (t.head != submissionId) revert NotQueueHead();
            uint256 since = t.headSince > s.seedBlock ? t.headSince : s.seedBlock;
            if (block.number <= since + EVAL_TIMEOUT) revert NotExpirable();
            s.state = State.Expired;
            revealed = true;
            if (bond != 0) claimable[t.token][optimizer] += bond;
            _advance(t, s);
        } else {
            revert NotExpirable();
        }
        if (fee != 0) claimable[address(0)][optimizer] += fee;
        emit SubmissionExpired(taskId, submissionId, revealed, bond, fee);
    }

    function _advance(Task storage t, Submission storage s) private {
        uint48 next = s.next;
        t.head = next;
        if (next == 0) t.tail = 0;
        else t.headSince = uint48(block.number);
        t.open -= 1;
    }

    // ---- money ------------------------------------------------------------------------------

    /// @notice Sends msg.sender everything it can claim in `token` (address(0) = ETH).
    function withdraw(address token) external nonReentrant {
        uint256 amount = claimable[token][msg.sender];
        if (amount == 0) revert NothingToWithdraw();
        claimable[token][msg.sender] = 0;
        emit Withdrawn(token, msg.sender, amount);
        _send(token, msg.sender, amount);
    }

    /// @notice Moves settled operator fees (ETH) to the AttestationCenter, which keeps count of
    ///         what it is owed (feesReceivable). Only the AttestationCenter calls this.
    function releaseOperatorFees(uint256 amount) external nonReentrant {
        if (msg.sender != attestationCenter) revert NotAttestationCenter();
        if (amount != 0) _send(address(0), msg.sender, amount);
    }

    function _pull(address token, uint256 amount) private returns (uint256) {
        if (token == address(0)) {
            if (msg.value != amount) revert WrongValue();
            return amount;
        }
        if (msg.value != 0) revert WrongValue();
        return _pullToken(token, amount);
    }

    /// @dev transferFrom msg.sender; returns what arrived (fee-on-transfer tokens give less).
    function _pullToken(address token, uint256 amount) private returns (uint256) {
        if (amount == 0) return 0;
        uint256 before = IERC20(token).balanceOf(address(this));
        IERC20(token).safeTransferFrom(msg.sender, address(this), amount);
        return IERC20(token).balanceOf(address(this)) - before;
    }

    function _send(address token, address to, uint256 amount) private {
        if (token == address(0)) {
            (bool ok,) = to.call{value: amount}("");
            if (!ok) revert TransferFailed();
        } else {
            IERC20(token).safeTransfer(to, amount);
        }
    }

    function _task(uint256 taskId) private view returns (Task storage t) {
        t = _tasks[taskId];
        if (t.owner == address(0)) revert NoSuchTask();
    }

    function _cidOk(string calldata cid) private pure returns (bool) {
        return bytes(cid).length != 0 && bytes(cid).length <= MAX_CID;
    }

    // ---- views ------------------------------------------------------------------------------

    /// @notice Everything stored about a task.
    function getTask(uint256 taskId) external view returns (Task memory) {
        return _tasks[taskId];
    }

    /// @notice Everything stored about a submission (the params CID is in SubmissionRevealed).
    function getSubmission(uint256 submissionId) external view returns (Submission memory) {
        return _subs[submissionId];
    }
}
