// SPDX-License-Identifier: MIT
pragma solidity ^0.8.28;

/// @notice The forge cheatcodes these tests use (forge-std is not available offline, so this
///         project declares the few it needs; signatures as documented by Foundry).
interface Vm {
    struct Gas {
        uint64 gasLimit;
        uint64 gasTotalUsed;
        uint64 gasMemoryUsed;
        int64 gasRefunded;
        uint64 gasRemaining;
    }

    function prank(address) external;
    function startPrank(address) external;
    function stopPrank() external;
    function deal(address, uint256) external;
    function roll(uint256) external;
    function warp(uint256) external;
    function expectRevert() external;
    function expectRevert(bytes4) external;
    function expectRevert(bytes calldata) external;
    function expectEmit(bool, bool, bool, bool) external;
    function expectEmit(bool, bool, bool, bool, address) external;
    function ffi(string[] calldata) external returns (bytes memory);
    function assume(bool) external pure;
    function sign(uint256, bytes32) external pure returns (uint8, bytes32, bytes32);
    function addr(uint256) external pure returns (address);
    function label(address, string calldata) external;
    function toString(uint256) external pure returns (string memory);
    function toString(address) external pure returns (string memory);
    function toString(bytes32) external pure returns (string memory);
    function envOr(string calldata, uint256) external view returns (uint256);
    function envOr(string calldata, address) external view returns (address);
    function envOr(string calldata, string calldata) external view returns (string memory);
    function startBroadcast() external;
    function startBroadcast(uint256) external;
    function stopBroadcast() external;
    function writeFile(string calldata, string calldata) external;
    function projectRoot() external view returns (string memory);
    function lastCallGas() external view returns (Gas memory);
    function skip(bool) external;
    function setEnv(string calldata, string calldata) external;
    function readFile(string calldata) external view returns (string memory);
    function removeFile(string calldata) external;
    function parseJsonAddress(string calldata, string calldata) external pure returns (address);
    function parseJsonUint(string calldata, string calldata) external pure returns (uint256);
    function getBlockNumber() external view returns (uint256);
    function getNonce(address) external view returns (uint64);
    function computeCreateAddress(address, uint256) external pure returns (address);
}

/// @notice Minimal console for figures printed by the gas benchmark (forge's console address).
library Log {
    address private constant CONSOLE = 0x000000000000000000636F6e736F6c652e6c6f67;

    function log(string memory s, uint256 v) internal view {
        (bool ok,) = CONSOLE.staticcall(abi.encodeWithSignature("log(string,uint256)", s, v));
        ok;
    }
}

/// @notice Base contract for the tests: cheatcodes, assertions and invariant targets.
abstract contract ZaraTest {
    Vm internal constant vm = Vm(address(uint160(uint256(keccak256("hevm cheat code")))));

    struct FuzzSelector {
        address addr;
        bytes4[] selectors;
    }

    address[] private _targets;
    FuzzSelector[] private _targetSelectors;
    address[] private _senders;

    // ---- invariant targets (read by forge) ------------------------------------------------
    function targetContracts() public view returns (address[] memory) {
        return _targets;
    }

    function targetSelectors() public view returns (FuzzSelector[] memory) {
        return _targetSelectors;
    }

    function targetSenders() public view returns (address[] memory) {
        return _senders;
    }

    function targetContract(address a) internal {
        _targets.push(a);
    }

    function targetSelector(FuzzSelector memory s) internal {
        _targetSelectors.push(s);
    }

    function targetSender(address a) internal {
        _senders.push(a);
    }

    // ---- assertions ----------------------------------------------------------------------
    function fail(string memory why) internal pure {
        revert(why);
    }

    function assertTrue(bool c, string memory why) internal pure {
        if (!c) revert(why);
    }

    function assertTrue(bool c) internal pure {
        if (!c) revert("assertion failed");
    }

    function assertFalse(bool c) internal pure {
        if (c) revert("assertion failed: expected false");
    }

    function assertEq(uint256 a, uint256 b) internal pure {
        if (a != b) {
            revert(string.concat("assertEq(uint) failed: ", vm.toString(a), " != ", vm.toString(b)));
        }
    }

    function assertEq(uint256 a, uint256 b, string memory why) internal pure {
        if (a != b) {
            revert(string.concat(why, ": ", vm.toString(a), " != ", vm.toString(b)));
        }
    }

    function assertEq(int256 a, int256 b) internal pure {
        if (a != b) revert("assertEq(int) failed");
    }

    function assertEq(address a, address b) internal pure {
        if (a != b) {
            revert(
                string.concat("assertEq(address) failed: ", vm.toString(a), " != ", vm.toString(b))
            );
        }
    }

    function assertEq(bytes32 a, bytes32 b) internal pure {
        if (a != b) {
            revert(
                string.concat("assertEq(bytes32) failed: ", vm.toString(a), " != ", vm.toString(b))
            );
        }
    }

    function assertEq(bool a, bool b) internal pure {
        if (a != b) revert("assertEq(bool) failed");
    }

    function assertEq(string memory a, string memory b) internal pure {
        if (keccak256(bytes(a)) != keccak256(bytes(b))) {
            revert(string.concat("assertEq(string) failed: ", a, " != ", b));
        }
    }

    function assertLe(uint256 a, uint256 b, string memory why) internal pure {
        if (a > b) revert(string.concat(why, ": ", vm.toString(a), " > ", vm.toString(b)));
    }

    function assertGe(uint256 a, uint256 b, string memory why) internal pure {
        if (a < b) revert(string.concat(why, ": ", vm.toString(a), " < ", vm.toString(b)));
    }
}
