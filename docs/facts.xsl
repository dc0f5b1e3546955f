<?xml version="1.0" encoding="UTF-8"?>
<!-- SPDX-License-Identifier: Apache-2.0 -->
<!--
  docs/facts.xsl: the facts of docs/mod_hsts.xml that docs/check-docs.sh
  compares with the code and README.md (and the interface contract, when
  given), one per line, fields separated by tabs:

    directive  NAME  SYNTAX  DEFAULT  CONTEXT, CONTEXT
    code       CODE  CLASS   FIX
-->
<xsl:stylesheet version="1.0" xmlns:xsl="http://www.w3.org/1999/XSL/Transform">
<xsl:output method="text" encoding="UTF-8"/>

<xsl:template match="/modulesynopsis">
  <xsl:for-each select="directivesynopsis">
    <xsl:text>directive&#9;</xsl:text>
    <xsl:value-of select="normalize-space(name)"/><xsl:text>&#9;</xsl:text>
    <xsl:value-of select="normalize-space(syntax)"/><xsl:text>&#9;</xsl:text>
    <xsl:value-of select="normalize-space(default)"/><xsl:text>&#9;</xsl:text>
    <xsl:for-each select="contextlist/context">
      <xsl:value-of select="normalize-space(.)"/>
      <xsl:if test="position() != last()">, </xsl:if>
    </xsl:for-each>
    <xsl:text>&#10;</xsl:text>
  </xsl:for-each>
  <xsl:for-each select="//section[@id = 'codes']//table/tr[count(td) = 4]">
    <xsl:text>code&#9;</xsl:text>
    <xsl:value-of select="normalize-space(td[1])"/><xsl:text>&#9;</xsl:text>
    <xsl:value-of select="normalize-space(td[2])"/><xsl:text>&#9;</xsl:text>
    <xsl:value-of select="normalize-space(td[4])"/>
    <xsl:text>&#10;</xsl:text>
  </xsl:for-each>
</xsl:template>
</xsl:stylesheet>
