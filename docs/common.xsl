<?xml version="1.0" encoding="UTF-8"?>
<!-- SPDX-License-Identifier: Apache-2.0 -->
<!--
  docs/common.xsl: text helpers shared by docs/manual.xsl (HTML) and
  docs/man.xsl (roff). XSLT 1.0 has no string functions to speak of, so
  these are recursive named templates.
-->
<xsl:stylesheet version="1.0" xmlns:xsl="http://www.w3.org/1999/XSL/Transform">

<xsl:variable name="upper" select="'ABCDEFGHIJKLMNOPQRSTUVWXYZ'"/>
<xsl:variable name="lower" select="'abcdefghijklmnopqrstuvwxyz'"/>

<!--
  dedent: the text of a code block without its leading blank lines, its
  trailing white space and the indentation of its first line (taken off
  every line), so that blocks can be indented in the XML source.
-->
<xsl:template name="dedent">
  <xsl:param name="text"/>
  <xsl:variable name="body">
    <xsl:call-template name="strip-leading-blank-lines">
      <xsl:with-param name="text" select="$text"/>
    </xsl:call-template>
  </xsl:variable>
  <xsl:variable name="first-line" select="substring-before(concat($body, '&#10;'), '&#10;')"/>
  <xsl:variable name="indent"
      select="substring-before($first-line, substring(normalize-space($first-line), 1, 1))"/>
  <xsl:call-template name="unindent-lines">
    <xsl:with-param name="text">
      <xsl:call-template name="rtrim">
        <xsl:with-param name="text" select="$body"/>
      </xsl:call-template>
    </xsl:with-param>
    <xsl:with-param name="indent" select="$indent"/>
  </xsl:call-template>
</xsl:template>

<xsl:template name="strip-leading-blank-lines">
  <xsl:param name="text"/>
  <xsl:choose>
    <xsl:when test="contains($text, '&#10;') and normalize-space(substring-before($text, '&#10;')) = ''">
      <xsl:call-template name="strip-leading-blank-lines">
        <xsl:with-param name="text" select="substring-after($text, '&#10;')"/>
      </xsl:call-template>
    </xsl:when>
    <xsl:otherwise><xsl:value-of select="$text"/></xsl:otherwise>
  </xsl:choose>
</xsl:template>

<xsl:template name="rtrim">
  <xsl:param name="text"/>
  <xsl:variable name="last" select="substring($text, string-length($text))"/>
  <xsl:choose>
    <xsl:when test="$text != '' and normalize-space($last) = ''">
      <xsl:call-template name="rtrim">
        <xsl:with-param name="text" select="substring($text, 1, string-length($text) - 1)"/>
      </xsl:call-template>
    </xsl:when>
    <xsl:otherwise><xsl:value-of select="$text"/></xsl:otherwise>
  </xsl:choose>
</xsl:template>

<xsl:template name="unindent-lines">
  <xsl:param name="text"/>
  <xsl:param name="indent"/>
  <xsl:param name="prefix" select="''"/>
  <xsl:variable name="line">
    <xsl:choose>
      <xsl:when test="contains($text, '&#10;')"><xsl:value-of select="substring-before($text, '&#10;')"/></xsl:when>
      <xsl:otherwise><xsl:value-of select="$text"/></xsl:otherwise>
    </xsl:choose>
  </xsl:variable>
  <xsl:value-of select="$prefix"/>
  <xsl:choose>
    <xsl:when test="$indent != '' and starts-with($line, $indent)">
      <xsl:value-of select="substring($line, string-length($indent) + 1)"/>
    </xsl:when>
    <xsl:otherwise><xsl:value-of select="$line"/></xsl:otherwise>
  </xsl:choose>
  <xsl:if test="contains($text, '&#10;')">
    <xsl:call-template name="unindent-lines">
      <xsl:with-param name="text" select="substring-after($text, '&#10;')"/>
      <xsl:with-param name="indent" select="$indent"/>
      <xsl:with-param name="prefix" select="'&#10;'"/>
    </xsl:call-template>
  </xsl:if>
</xsl:template>

<!-- replace: every occurrence of $from in $text by $to. -->
<xsl:template name="replace">
  <xsl:param name="text"/>
  <xsl:param name="from"/>
  <xsl:param name="to"/>
  <xsl:choose>
    <xsl:when test="$from != '' and contains($text, $from)">
      <xsl:value-of select="substring-before($text, $from)"/>
      <xsl:value-of select="$to"/>
      <xsl:call-template name="replace">
        <xsl:with-param name="text" select="substring-after($text, $from)"/>
        <xsl:with-param name="from" select="$from"/>
        <xsl:with-param name="to" select="$to"/>
      </xsl:call-template>
    </xsl:when>
    <xsl:otherwise><xsl:value-of select="$text"/></xsl:otherwise>
  </xsl:choose>
</xsl:template>

</xsl:stylesheet>
