// SPDX-License-Identifier: MIT
// Source of tests/vectors/abi_sample_artifact.json (abi and evm.methodIdentifiers from solcjs
// 0.8.37 --standard-json, laid out like a forge artifact),
// used by tests/unit/eth/test_abi.c to check JSON ABI loading, selectors and log decoding.
pragma solidity ^0.8.20;

contract Sample {
    struct Result {
        uint256 taskId;
        uint256 submissionId;
        uint256 incumbentId;
        bytes32 seed;
        uint8 verdict;
        int256 scoreNew;
        int256 scoreOld;
        bytes32 digest;
    }

    event Submitted(uint256 indexed taskId, address indexed optimizer, string cid, bytes32 commitment);
    event Named(string indexed label, int8 indexed delta, Result r);
    event Anon(uint256 indexed a, uint256 b) anonymous;

    error Bad(uint256 code, string why);

    constructor(address owner) {}

    function submitResult(Result calldata r, bytes calldata sig, uint256[2] calldata apk, uint256[4] calldata g2, uint32[] calldata signers) external returns (bool ok) {}
    function commit(uint256 taskId, bytes32 h) external payable {}
    function get(uint256 id) external view returns (Result memory r, string memory cid, address[] memory who) {}
    function get(bytes32 key) external view returns (uint256) {}
    fallback() external {}
    receive() external payable {}
}
